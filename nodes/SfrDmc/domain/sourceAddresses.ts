/**
 * An allow-list of source addresses: IPv4 or IPv6 addresses, and IPv4 ranges in CIDR
 * notation (`192.0.2.0/24`). Pure and n8n-free.
 */

interface Allowed {
	address: string;
	/** IPv4 ranges only. */
	bits?: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(address: string): number | undefined {
	const match = IPV4.exec(address);
	if (match === null) return undefined;
	const parts = match.slice(1).map(Number);
	if (parts.some((part) => part > 255)) return undefined;
	return parts.reduce((total, part) => total * 256 + part, 0);
}

/** `::ffff:192.0.2.1` is the IPv4 address 192.0.2.1 seen through an IPv6 socket. */
export function canonicalAddress(address: string): string {
	const trimmed = address.trim().toLowerCase();
	return trimmed.startsWith('::ffff:') && IPV4.test(trimmed.slice(7)) ? trimmed.slice(7) : trimmed;
}

function allowedOf(entry: string): Allowed | undefined {
	const [address, bits] = entry.split('/');
	const canonical = canonicalAddress(address);
	const isIpv4 = ipv4Number(canonical) !== undefined;
	if (bits === undefined) return isIpv4 || (/^[0-9a-f:]+$/.test(canonical) && canonical.includes(':')) ? { address: canonical } : undefined;
	return isIpv4 && /^\d{1,2}$/.test(bits) && Number(bits) <= 32 ? { address: canonical, bits: Number(bits) } : undefined;
}

/**
 * Reads the option: entries separated by commas, semicolons, spaces or new lines. `invalid`
 * lists the entries that are not an address or an IPv4 range.
 */
export function parseAllowList(value: string): { allowed: Allowed[]; invalid: string[] } {
	const allowed: Allowed[] = [];
	const invalid: string[] = [];
	for (const entry of value.split(/[\s,;]+/).filter((part) => part !== '')) {
		const read = allowedOf(entry);
		if (read === undefined) invalid.push(entry);
		else allowed.push(read);
	}
	return { allowed, invalid };
}

/** Whether an address is allowed; an empty list allows every address. */
export function isAllowedAddress(allowed: readonly Allowed[], address: string | undefined): boolean {
	if (allowed.length === 0) return true;
	if (address === undefined || address === '') return false;
	const canonical = canonicalAddress(address);
	const asNumber = ipv4Number(canonical);
	return allowed.some((entry) => {
		if (entry.bits === undefined) return entry.address === canonical;
		if (asNumber === undefined) return false;
		const size = 2 ** (32 - entry.bits);
		return Math.floor(asNumber / size) === Math.floor((ipv4Number(entry.address) as number) / size);
	});
}
