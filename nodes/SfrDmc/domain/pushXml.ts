/**
 * A small, strict XML reader for DMC's push reports (`<status_report><sms …><status …/></sms>`).
 * Pure and n8n-free.
 *
 * It reads elements, attributes, text and CDATA, and the five predefined entities plus
 * character references. It refuses any DOCTYPE or entity declaration outright: with no
 * way to declare an entity there is nothing to expand, so entity bombs and external
 * entities (XXE) cannot happen. Depth and element count are bounded too.
 */

export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	/** The element's own text (CDATA included), entities decoded. */
	text: string;
}

export class XmlRefusal extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'XmlRefusal';
	}
}

export interface XmlLimits {
	maxDepth: number;
	maxElements: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 16, maxElements: 50_000 };

const NAME = /[A-Za-z_][\w.:-]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes entity and character references; anything else after `&` is refused. */
function decodeText(raw: string): string {
	return raw.replace(/&([^;\s&<]{0,12});|&/g, (_match: string, body: string | undefined) => {
		if (body === undefined) throw new XmlRefusal('a bare "&" must be written &amp;');
		if (body in PREDEFINED) return PREDEFINED[body];
		const code = /^#x[0-9a-f]{1,6}$/i.test(body) ? parseInt(body.slice(2), 16) : /^#\d{1,7}$/.test(body) ? Number(body.slice(1)) : NaN;
		if (Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
		throw new XmlRefusal('entity references other than the five predefined ones and character references are not accepted');
	});
}

class Reader {
	private at = 0;
	private elements = 0;

	constructor(
		private readonly source: string,
		private readonly limits: XmlLimits,
	) {}

	read(): XmlElement {
		if (this.source.startsWith('\uFEFF')) this.at = 1;
		if (this.source.startsWith('<?xml', this.at)) this.skipPast('?>', 'XML declaration');
		this.skipMisc();
		if (!this.source.startsWith('<', this.at)) throw new XmlRefusal('the body does not start with an XML element');
		const root = this.element(1);
		this.skipMisc();
		if (this.at < this.source.length) throw new XmlRefusal('content after the root element');
		return root;
	}

	/** Whitespace, comments and processing instructions between elements. */
	private skipMisc(): void {
		for (;;) {
			while (this.at < this.source.length && /\s/.test(this.source[this.at])) this.at++;
			if (this.source.startsWith('<!--', this.at)) this.skipPast('-->', 'comment');
			else if (this.source.startsWith('<!', this.at)) this.refuseDeclaration();
			else if (this.source.startsWith('<?', this.at)) this.skipPast('?>', 'processing instruction');
			else return;
		}
	}

	private refuseDeclaration(): never {
		throw new XmlRefusal('DOCTYPE and ENTITY declarations are not accepted');
	}

	private skipPast(end: string, what: string): void {
		const found = this.source.indexOf(end, this.at);
		if (found < 0) throw new XmlRefusal(`unterminated ${what}`);
		this.at = found + end.length;
	}

	private name(what: string): string {
		NAME.lastIndex = this.at;
		const match = NAME.exec(this.source);
		if (match === null) throw new XmlRefusal(`expected ${what} name at offset ${this.at}`);
		this.at += match[0].length;
		return match[0];
	}

	private skipSpace(): void {
		while (this.at < this.source.length && /\s/.test(this.source[this.at])) this.at++;
	}

	private element(depth: number): XmlElement {
		if (depth > this.limits.maxDepth) throw new XmlRefusal(`elements nested deeper than ${this.limits.maxDepth}`);
		if (++this.elements > this.limits.maxElements) throw new XmlRefusal(`more than ${this.limits.maxElements} elements`);
		this.at++; // '<'
		const element: XmlElement = { name: this.name('element'), attributes: {}, children: [], text: '' };
		for (;;) {
			this.skipSpace();
			if (this.source.startsWith('/>', this.at)) {
				this.at += 2;
				return element;
			}
			if (this.source[this.at] === '>') {
				this.at++;
				break;
			}
			this.attribute(element);
		}
		this.content(element, depth);
		return element;
	}

	private attribute(element: XmlElement): void {
		const name = this.name('attribute');
		this.skipSpace();
		if (this.source[this.at] !== '=') throw new XmlRefusal(`attribute ${name} has no value`);
		this.at++;
		this.skipSpace();
		const quote = this.source[this.at];
		if (quote !== '"' && quote !== "'") throw new XmlRefusal(`attribute ${name} is not quoted`);
		const end = this.source.indexOf(quote, this.at + 1);
		if (end < 0) throw new XmlRefusal(`attribute ${name} is not closed`);
		const raw = this.source.slice(this.at + 1, end);
		if (raw.includes('<')) throw new XmlRefusal(`attribute ${name} contains "<"`);
		if (Object.prototype.hasOwnProperty.call(element.attributes, name)) throw new XmlRefusal(`attribute ${name} appears twice`);
		element.attributes[name] = decodeText(raw);
		this.at = end + 1;
	}

	private content(element: XmlElement, depth: number): void {
		const text: string[] = [];
		for (;;) {
			const next = this.source.indexOf('<', this.at);
			if (next < 0) throw new XmlRefusal(`element ${element.name} is not closed`);
			text.push(decodeText(this.source.slice(this.at, next)));
			this.at = next;
			if (this.source.startsWith('</', this.at)) {
				this.at += 2;
				const closing = this.name('closing tag');
				if (closing !== element.name) throw new XmlRefusal(`element ${element.name} is closed by ${closing}`);
				this.skipSpace();
				if (this.source[this.at] !== '>') throw new XmlRefusal(`closing tag ${closing} is malformed`);
				this.at++;
				element.text = text.join('');
				return;
			}
			if (this.source.startsWith('<![CDATA[', this.at)) {
				const end = this.source.indexOf(']]>', this.at);
				if (end < 0) throw new XmlRefusal('unterminated CDATA section');
				text.push(this.source.slice(this.at + 9, end));
				this.at = end + 3;
			} else if (this.source.startsWith('<!--', this.at)) this.skipPast('-->', 'comment');
			else if (this.source.startsWith('<!', this.at)) this.refuseDeclaration();
			else if (this.source.startsWith('<?', this.at)) this.skipPast('?>', 'processing instruction');
			else element.children.push(this.element(depth + 1));
		}
	}
}

/** Reads one XML document; throws XmlRefusal (whose message never quotes the document) otherwise. */
export function readXml(source: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
	return new Reader(source, limits).read();
}
