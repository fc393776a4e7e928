import fc from 'fast-check';

import { readXml, XmlRefusal } from '../../nodes/SfrDmc/domain/pushXml';

const refusal = (source: string): string => {
	try {
		readXml(source);
	} catch (error) {
		expect(error).toBeInstanceOf(XmlRefusal);
		return (error as Error).message;
	}
	throw new Error('expected a refusal');
};

describe('readXml', () => {
	it('reads elements, attributes, text, CDATA, comments and the predefined entities', () => {
		const root = readXml(
			'\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- report --><status_report username="svc"><sms to=\'+33612345678\' info="a &amp; b &#233;&#x20AC;"><status type="ANSWERED"><![CDATA[<Oui> & merci]]></status></sms></status_report>',
		);
		expect(root.name).toBe('status_report');
		expect(root.attributes).toEqual({ username: 'svc' });
		const sms = root.children[0];
		expect(sms.attributes).toEqual({ to: '+33612345678', info: 'a & b é€' });
		expect(sms.children[0]).toMatchObject({ name: 'status', attributes: { type: 'ANSWERED' }, text: '<Oui> & merci' });
	});

	it('refuses any DOCTYPE or ENTITY declaration: no entity expansion, no XXE', () => {
		const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
		expect(refusal(xxe)).toMatch(/DOCTYPE and ENTITY declarations are not accepted/);
		const bomb = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
		expect(refusal(bomb)).toMatch(/DOCTYPE/);
		expect(refusal('<r><!ENTITY x "y"></r>')).toMatch(/DOCTYPE and ENTITY/);
		expect(refusal('<r>&x;</r>')).toMatch(/entity references other than the five predefined/);
		expect(refusal('<r a="&ext;"/>')).toMatch(/entity references/);
	});

	it('refuses malformed documents with a message that does not quote them', () => {
		const secret = '+33612345678';
		for (const source of [
			`<r>${secret}`,
			`<r>${secret}</s>`,
			`<r a=${secret}/>`,
			`<r a="1" a="2"/>`,
			`<r>${secret} & co</r>`,
			`<r/><r/>`,
			`${secret}`,
			`<r a="<${secret}"/>`,
			'<r>&#0;</r>',
			'<r>&#xD800;</r>',
			'<r><![CDATA[open</r>',
		]) {
			expect(refusal(source)).not.toContain(secret);
		}
	});

	it('bounds depth and element count', () => {
		expect(refusal(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`)).toMatch(/nested deeper than 16/);
		expect(() => readXml(`<r>${'<s/>'.repeat(20)}</r>`, { maxDepth: 4, maxElements: 10 })).toThrow(/more than 10 elements/);
	});

	it('property: any text and attribute value, escaped, reads back unchanged', () => {
		const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (text, value) => {
				const root = readXml(`<r v="${escape(value)}">${escape(text)}</r>`);
				expect(root.attributes.v).toBe(value);
				expect(root.text).toBe(text);
			}),
		);
	});

	it('property: arbitrary input either reads or is refused with an XmlRefusal, never anything else', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '?', '&', ';', '"', '=', 'a', ' ', '[', ']', '-', 'D', '#'), maxLength: 60 }),
				(source) => {
					try {
						readXml(source);
					} catch (error) {
						expect(error).toBeInstanceOf(XmlRefusal);
					}
				},
			),
		);
	});
});
