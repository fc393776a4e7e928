const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * A 64-bit FNV-1a digest of a text's UTF-16 code units, in hex. It tells two passwords of
 * one service apart in the process's map of sending queues without keeping either in clear
 * there. It is no protection against someone who can read the process's memory (the
 * credential is decrypted there anyway), only against the password living on in a key.
 */
export function loginFingerprint(text: string): string {
	let hash = FNV_OFFSET;
	for (let index = 0; index < text.length; index++) {
		hash ^= BigInt(text.charCodeAt(index));
		hash = (hash * FNV_PRIME) & MASK_64;
	}
	return hash.toString(16).padStart(16, '0');
}
