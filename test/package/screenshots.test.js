// The README's pictures of the editor (taken by `npm run test:n8n`, scripts/test-n8n/usage.mjs)
// are there and show something: each PNG it names is decoded here, with node:zlib alone, and
// must be a real screenshot of a sensible size, not one flat colour.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { crc32, deflateSync, inflateSync } = require('node:zlib');

const root = join(__dirname, '..', '..');
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bytes per pixel of the 8-bit colour types a screenshot uses: grey, RGB, RGBA. */
const CHANNELS = { 0: 1, 2: 3, 6: 4 };
const MAX_BYTES = 250 * 1024;

/** The chunks of a PNG, each checked against its CRC. */
function chunksOf(png) {
	if (png.length < SIGNATURE.length || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: wrong signature');
	const chunks = [];
	for (let at = 8; at < png.length; ) {
		if (at + 12 > png.length) throw new Error(`truncated chunk at byte ${at}`);
		const length = png.readUInt32BE(at);
		const type = png.toString('latin1', at + 4, at + 8);
		const data = png.subarray(at + 8, at + 8 + length);
		if (data.length !== length) throw new Error(`truncated ${type} chunk`);
		if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
		chunks.push({ type, data });
		at += 12 + length;
	}
	return chunks;
}

function paeth(left, up, upLeft) {
	const estimate = left + up - upLeft;
	const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
	if (toLeft <= toUp && toLeft <= toUpLeft) return left;
	return toUp <= toUpLeft ? up : upLeft;
}

/** What a PNG filter adds back to a byte, from the bytes to its left, above, and above-left. */
function predictorOf(filter, left, up, upLeft, line) {
	switch (filter) {
		case 0:
			return 0;
		case 1:
			return left;
		case 2:
			return up;
		case 3:
			return (left + up) >> 1;
		case 4:
			return paeth(left, up, upLeft);
		default:
			throw new Error(`unknown filter ${filter} on line ${line}`);
	}
}

/** The header of an 8-bit, non-interlaced grey, RGB or RGBA PNG from its chunks: { width, height, channels }. */
function headerOf(chunks) {
	const header = chunks[0];
	if (header?.type !== 'IHDR') throw new Error('the first chunk is not IHDR');
	const [width, height] = [header.data.readUInt32BE(0), header.data.readUInt32BE(4)];
	const [depth, colourType, interlace] = [header.data[8], header.data[9], header.data[12]];
	const channels = CHANNELS[colourType];
	if (depth !== 8 || !channels || interlace !== 0)
		throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
	if (chunks.at(-1).type !== 'IEND') throw new Error('no IEND chunk at the end');
	return { width, height, channels };
}

/** The unfiltered pixels of the image data chunks, for a header read by headerOf. */
function pixelsOf(chunks, { width, height, channels }) {
	const raw = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
	const stride = width * channels;
	if (raw.length !== height * (stride + 1)) throw new Error(`the image data holds ${raw.length} bytes, not ${height * (stride + 1)}`);
	const pixels = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let x = 0; x < stride; x++) {
			const left = x >= channels ? pixels[y * stride + x - channels] : 0;
			const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
			const upLeft = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
			pixels[y * stride + x] = (line[x] + predictorOf(filter, left, up, upLeft, y)) & 0xff;
		}
	}
	return pixels;
}

/** Decodes an 8-bit, non-interlaced grey, RGB or RGBA PNG: { width, height, channels, pixels }. */
function decodePng(png) {
	const chunks = chunksOf(png);
	const header = headerOf(chunks);
	return { ...header, pixels: pixelsOf(chunks, header) };
}

/** How much the picture shows: its distinct colours and the spread of its luminance (0–255). */
function contentOf({ channels, pixels }) {
	const colours = new Set();
	let [sum, sumOfSquares, count] = [0, 0, 0];
	for (let at = 0; at < pixels.length; at += channels) {
		const [r, g, b] = channels >= 3 ? [pixels[at], pixels[at + 1], pixels[at + 2]] : [pixels[at], pixels[at], pixels[at]];
		colours.add((r << 16) | (g << 8) | b);
		const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
		sum += luminance;
		sumOfSquares += luminance * luminance;
		count += 1;
	}
	const mean = sum / count;
	return { colours: colours.size, luminanceSpread: Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)) };
}

/** The problems that make a file no usable screenshot; none for a good one. */
function screenshotProblems(png) {
	let image;
	try {
		// The size is checked before the pixels are inflated, so an oversized file costs nothing.
		const chunks = chunksOf(png);
		const header = headerOf(chunks);
		const { width, height } = header;
		if (width < 640 || height < 360 || width > 1280 || height > 800) return [`${width}×${height} is outside 640×360 to 1280×800`];
		image = { ...header, pixels: pixelsOf(chunks, header) };
	} catch (error) {
		return [error.message];
	}
	const problems = [];
	if (png.length > MAX_BYTES) problems.push(`${png.length} bytes is more than ${MAX_BYTES}`);
	const { colours, luminanceSpread } = contentOf(image);
	if (colours < 32) problems.push(`only ${colours} distinct colour(s): blank`);
	if (luminanceSpread < 8) problems.push(`luminance spread ${luminanceSpread.toFixed(1)}: flat`);
	return problems;
}

/** A PNG of our own making from its filtered lines (each line: its filter byte, then RGB bytes). */
function pngFromLines(width, height, lines) {
	const chunk = (type, data) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const framed = Buffer.alloc(body.length + 8);
		framed.writeUInt32BE(data.length, 0);
		body.copy(framed, 4);
		framed.writeUInt32BE(crc32(body), body.length + 4);
		return framed;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(lines)), chunk('IEND', Buffer.alloc(0))]);
}

/** An unfiltered RGB PNG for the control cases: `paint(x, y)` gives each pixel's [r, g, b]. */
function encodePng(width, height, paint) {
	const lines = Buffer.alloc(height * (width * 3 + 1));
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) lines.set(paint(x, y), y * (width * 3 + 1) + 1 + x * 3);
	return pngFromLines(width, height, lines);
}

/** The images README.md shows from docs/images/, with their alt text. */
function readmeImages() {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	return [...readme.matchAll(/!\[([^\]]*)\]\((docs\/images\/[^)\s]+)\)/g)].map(([, alt, path]) => ({ alt, path }));
}

describe('the README screenshots', () => {
	const images = readmeImages();

	it('are the three worked workflows of Usage, each with alt text', () => {
		expect(images.map(({ path }) => path).sort()).toEqual(
			['usage-citizen-request-sms.png', 'usage-heat-wave-voice-alert.png', 'usage-scheduled-reminders.png'].map(
				(name) => `docs/images/${name}`,
			),
		);
		for (const { alt } of images) expect(alt.trim().length).toBeGreaterThan(10);
	});

	it.each(images.map(({ path }) => path))('%s is a real screenshot, not missing or blank', (path) => {
		const file = join(root, path);
		expect(existsSync(file) && statSync(file).isFile()).toBe(true);
		expect(screenshotProblems(readFileSync(file))).toEqual([]);
	});
});

describe('the screenshot check (control cases)', () => {
	const gradient = (x, y) => [Math.floor(x / 4) % 256, Math.floor(y / 2) % 256, 128];

	it('passes a generated picture with content', () => {
		expect(screenshotProblems(encodePng(800, 450, gradient))).toEqual([]);
	});

	it('fails a flat picture, and a white one with a single dark pixel', () => {
		expect(screenshotProblems(encodePng(800, 450, () => [245, 245, 245]))).toEqual([
			'only 1 distinct colour(s): blank',
			'luminance spread 0.0: flat',
		]);
		const dot = screenshotProblems(encodePng(800, 450, (x, y) => (x === 400 && y === 200 ? [0, 0, 0] : [255, 255, 255])));
		expect(dot).toEqual(['only 2 distinct colour(s): blank', expect.stringMatching(/^luminance spread \d\.\d: flat$/)]);
	});

	it('fails a file that is not a PNG, a corrupted one, and one too small or too large', () => {
		expect(screenshotProblems(Buffer.from('<html>Not found</html>'))).toEqual(['not a PNG: wrong signature']);
		const corrupted = encodePng(800, 450, gradient);
		corrupted[40] ^= 0xff;
		expect(screenshotProblems(corrupted)).toEqual([expect.stringMatching(/^bad CRC in I/)]);
		expect(screenshotProblems(encodePng(320, 200, gradient))).toEqual(['320×200 is outside 640×360 to 1280×800']);
		expect(screenshotProblems(encodePng(1920, 1080, gradient))).toEqual(['1920×1080 is outside 640×360 to 1280×800']);
	});

	it('undoes each PNG filter (Sub, Up, Average, Paeth) on lines filtered by hand', () => {
		const [width, height, stride] = [16, 5, 48];
		const pixels = Buffer.alloc(height * stride);
		for (let at = 0; at < pixels.length; at++) pixels[at] = (at * 37 + (at >> 4) * 11) % 256;
		const lines = Buffer.alloc(height * (stride + 1));
		for (let y = 0; y < height; y++) {
			const filter = y; // None, Sub, Up, Average, Paeth
			lines[y * (stride + 1)] = filter;
			for (let x = 0; x < stride; x++) {
				const left = x >= 3 ? pixels[y * stride + x - 3] : 0;
				const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
				const upLeft = x >= 3 && y > 0 ? pixels[(y - 1) * stride + x - 3] : 0;
				const predictor = [0, left, up, Math.floor((left + up) / 2), paeth(left, up, upLeft)][filter];
				lines[y * (stride + 1) + 1 + x] = (pixels[y * stride + x] - predictor) & 0xff;
			}
		}
		const decoded = decodePng(pngFromLines(width, height, lines));
		expect([decoded.width, decoded.height, decoded.channels]).toEqual([width, height, 3]);
		expect(decoded.pixels.equals(pixels)).toBe(true);
	});
});
