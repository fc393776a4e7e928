'use strict';

/*
 * DMC sandbox inbox: polls the control API every second and renders every SMS and voice
 * call grouped by recipient, like a phone would show them. Data only ever goes
 * through textContent, never innerHTML.
 */
(function inbox() {
	// ?poll=<ms> (at least 100) makes tests faster; default one second.
	const requestedPoll = Number(new URLSearchParams(location.search).get('poll'));
	const POLL_MS = Number.isFinite(requestedPoll) && requestedPoll >= 100 ? requestedPoll : 1000;
	const $ = (selector, root) => (root || document).querySelector(selector);
	let lastRendered = '';

	function formatTime(ms) {
		const date = new Date(ms);
		const time = date.toLocaleTimeString('en-GB', { hour12: false });
		const today = new Date().toDateString() === date.toDateString();
		return today ? time : `${date.toLocaleDateString('en-GB')} ${time}`;
	}

	function fromTemplate(id) {
		return document.getElementById(id).content.firstElementChild.cloneNode(true);
	}

	function setText(root, testId, value) {
		const element = root.querySelector(`[data-testid="${testId}"]`);
		if (element) element.textContent = value;
		return element;
	}

	function statusLabel(message) {
		const status = message.status;
		if (message.stopped) return 'Cancelled';
		if (status === 'DONE') return 'Delivered';
		if (status === 'FAILED') return 'Failed';
		return 'Sending…';
	}

	const VOICE_MEDIA = 'Vocal';
	/** The language each DMC text-to-speech voice reads, for the browser's speech synthesis. */
	const VOICE_LANGUAGES = { claire08s: 'fr-FR', laura8k: 'en-GB' };

	/** A voice message: a call card whose Play button reads the text with the browser's voice. */
	function showAsCall(element, message) {
		element.classList.add('call');
		element.dataset.voice = message.ttsVoice || '';
		$('[data-testid="call-head"]', element).hidden = false;
		setText(element, 'message-voice', message.ttsVoice || 'default voice');
		$('[data-testid="message-parts-label"]', element).remove();
		// A call cannot be answered by SMS.
		$('[data-testid="answer-form"]', element).remove();
		const play = $('[data-testid="call-play"]', element);
		if (!('speechSynthesis' in window)) {
			play.disabled = true;
			play.title = 'This browser has no speech synthesis';
		}
	}

	function play(button) {
		const card = button.closest('[data-message-id]');
		const utterance = new SpeechSynthesisUtterance($('[data-testid="message-text"]', card).textContent);
		utterance.lang = VOICE_LANGUAGES[card.dataset.voice] || 'fr-FR';
		window.speechSynthesis.cancel();
		window.speechSynthesis.speak(utterance);
	}

	function renderMessage(message) {
		const element = fromTemplate('message-template');
		element.dataset.messageId = String(message.id);
		element.dataset.status = message.status;
		element.dataset.resultCode = message.resultCode || '';
		element.dataset.cancelled = String(Boolean(message.stopped));
		element.classList.add(message.stopped ? 'status-cancelled' : `status-${message.status.toLowerCase()}`);
		setText(element, 'message-from', message.from || 'default sender');
		setText(element, 'message-text', message.text);
		const status = setText(element, 'message-status', `${statusLabel(message)} · ${message.status}`);
		status.classList.add(message.stopped ? 'cancelled' : message.status.toLowerCase());
		setText(element, 'message-result', message.resultCode || '');
		setText(element, 'message-to', message.to);
		setText(element, 'message-media', message.media);
		setText(element, 'message-parts', String(message.parts));
		setText(element, 'message-id', String(message.id));
		const ref = setText(element, 'message-ref', message.refExt ? `ref ${message.refExt}` : '');
		if (!message.refExt) ref.remove();
		const time = setText(element, 'message-time', formatTime(message.receivedAt));
		time.dateTime = new Date(message.receivedAt).toISOString();
		setText(element, 'message-rule', message.status === 'DONE' ? '' : message.rule);
		if (message.media === VOICE_MEDIA) showAsCall(element, message);
		return element;
	}

	function renderReplyBubble(message) {
		const element = fromTemplate('reply-bubble-template');
		element.dataset.messageId = String(message.id);
		element.dataset.stop = String(message.reply.stop);
		$('.text', element).textContent = message.reply.text;
		$('.kind', element).textContent = message.reply.stop ? 'STOP request' : 'Reply';
		$('time', element).textContent = formatTime(message.reply.at);
		return element;
	}

	function renderConversations(messages) {
		const byRecipient = new Map();
		for (const message of messages) {
			const key = message.callAdress || message.to;
			if (!byRecipient.has(key)) byRecipient.set(key, []);
			byRecipient.get(key).push(message);
		}
		const latest = (list) => Math.max(...list.map((m) => (m.reply ? m.reply.at : m.receivedAt)));
		const ordered = [...byRecipient.entries()].sort((a, b) => latest(b[1]) - latest(a[1]));
		const grid = $('[data-testid="conversations"]');
		grid.replaceChildren(
			...ordered.map(([recipient, list]) => {
				const phone = fromTemplate('phone-template');
				phone.dataset.recipient = recipient;
				setText(phone, 'conversation-recipient', recipient);
				const calls = list.filter((m) => m.media === VOICE_MEDIA).length;
				const sms = list.length - calls;
				$('.phone-count', phone).textContent = [sms > 0 && `${sms} SMS`, calls > 0 && `${calls} call${calls > 1 ? 's' : ''}`]
					.filter(Boolean)
					.join(' · ');
				const thread = $('.thread', phone);
				for (const message of list) {
					thread.append(renderMessage(message));
					if (message.reply) thread.append(renderReplyBubble(message));
				}
				return phone;
			}),
		);
	}

	function renderReplies(messages) {
		const replies = messages.filter((m) => m.reply).sort((a, b) => b.reply.at - a.reply.at);
		$('[data-testid="replies"]').replaceChildren(
			...replies.map((message) => {
				const row = fromTemplate('reply-row-template');
				row.dataset.messageId = String(message.id);
				row.dataset.stop = String(message.reply.stop);
				setText(row, 'reply-from', message.callAdress);
				const kind = setText(row, 'reply-kind', message.reply.stop ? 'STOP' : 'Reply');
				kind.classList.add(message.reply.stop ? 'stop' : 'reply');
				setText(row, 'reply-text', message.reply.text);
				setText(row, 'reply-message-id', String(message.id));
				setText(row, 'reply-time', formatTime(message.reply.at));
				return row;
			}),
		);
		$('[data-testid="replies-empty"]').hidden = replies.length > 0;
		return replies.length;
	}

	function renderSummary(messages, stats) {
		const count = (status) => messages.filter((m) => m.status === status).length;
		setText(document, 'count-messages', String(messages.length));
		setText(document, 'count-running', String(count('RUNNING')));
		setText(document, 'count-done', String(count('DONE')));
		setText(document, 'count-failed', String(messages.filter((m) => m.status === 'FAILED' && !m.stopped).length));
		setText(document, 'count-cancelled', String(messages.filter((m) => m.stopped).length));
		setText(document, 'count-replies', String(messages.filter((m) => m.reply).length));
		setText(document, 'stat-calls', String(stats.calls));
		setText(document, 'stat-violations', String(stats.violations));
		$('[data-testid="violations-figure"]').classList.toggle('alert', stats.violations > 0);
	}

	function render(messages, stats, campaigns) {
		const key = JSON.stringify([messages, stats.calls, stats.violations, campaigns]);
		if (key === lastRendered) return;
		lastRendered = key;
		$('[data-testid="empty"]').hidden = messages.length > 0;
		renderCampaigns(campaigns);
		renderConversations(messages);
		renderReplies(messages);
		renderSummary(messages, stats);
	}

	/** The contacts a campaign card lists; a bigger campaign shows its counts and the first ones. */
	const CAMPAIGN_CONTACTS_SHOWN = 20;
	const ENDED_CAMPAIGN = ['Terminée', 'Arrêtée', 'Echec'];

	/** Each campaign (broadcast): its status, how far it has gone, its text and its contacts' messages. */
	function renderCampaigns(campaigns) {
		$('[data-testid="campaigns-section"]').hidden = campaigns.length === 0;
		$('[data-testid="campaigns"]').replaceChildren(
			...[...campaigns].reverse().map((campaign) => {
				const card = fromTemplate('campaign-template');
				card.dataset.campaignId = String(campaign.id);
				const contacts = campaign.contacts;
				const count = (status) => contacts.filter((contact) => contact.status === status).length;
				const ended = count('DONE') + count('FAILED');
				setText(card, 'campaign-name', campaign.name);
				setText(card, 'campaign-id', String(campaign.id));
				const status = setText(card, 'campaign-status', campaign.status);
				status.classList.toggle('ended', ENDED_CAMPAIGN.includes(campaign.status));
				setText(card, 'campaign-progress', `${ended} / ${contacts.length} ended`);
				setText(card, 'campaign-counts', `${count('DONE')} delivered · ${count('FAILED')} failed · ${count('RUNNING')} running`);
				setText(card, 'campaign-window', `${formatTime(campaign.startDate)} → ${formatTime(campaign.stopDate)}`);
				$('.progress-bar', card).style.width = `${contacts.length === 0 ? 0 : Math.round((100 * ended) / contacts.length)}%`;
				setText(card, 'campaign-text', campaign.text);
				$('[data-testid="campaign-contacts"]', card).replaceChildren(
					...contacts.slice(0, CAMPAIGN_CONTACTS_SHOWN).map((contact) => {
						const row = document.createElement('tr');
						row.dataset.testid = 'campaign-contact';
						row.dataset.contactId = String(contact.contactId);
						for (const value of [contact.to, contact.externalReference, contact.status, contact.resultCode, contact.reply]) {
							const cell = document.createElement('td');
							cell.textContent = value === null || value === undefined ? '' : String(value);
							row.append(cell);
						}
						return row;
					}),
				);
				const hidden = contacts.length - CAMPAIGN_CONTACTS_SHOWN;
				setText(card, 'campaign-more', hidden > 0 ? `and ${hidden} more contacts` : '');
				return card;
			}),
		);
	}

	function setLive(ok, text) {
		const live = $('[data-testid="live-status"]');
		live.classList.toggle('offline', !ok);
		setText(live, 'live-text', text);
	}

	/** The recipient of a message answers (with the sandbox's push, n8n hears it at once). */
	async function answer(messageId, text) {
		const response = await fetch('/_sandbox/replies', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ messageId: Number(messageId), text }),
		});
		if (!response.ok) throw new Error(`reply: HTTP ${response.status}`);
		lastRendered = '';
		await poll();
	}

	document.addEventListener('submit', (event) => {
		const form = event.target.closest('[data-testid="answer-form"]');
		if (!form) return;
		event.preventDefault();
		const text = form.elements.text.value.trim();
		if (text !== '') answer(form.closest('[data-message-id]').dataset.messageId, text).catch(() => setLive(false, 'Reply not sent'));
	});

	document.addEventListener('click', (event) => {
		const playButton = event.target.closest('[data-testid="call-play"]');
		if (playButton) play(playButton);
		const stop = event.target.closest('[data-testid="answer-stop"]');
		if (stop) answer(stop.closest('[data-message-id]').dataset.messageId, 'STOP').catch(() => setLive(false, 'STOP not sent'));
	});

	async function getJson(path) {
		const response = await fetch(path, { cache: 'no-store' });
		if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
		return response.json();
	}

	async function loadConfig() {
		try {
			const config = await getJson('/_sandbox/config');
			const base = `${location.origin}/DmcWS/1.5.8/JsonService`;
			setText(document, 'base-url', base);
			setText(
				document,
				'account',
				`Service ${config.serviceId} · space ${config.spaceId} · senders ${config.senders.join(', ')} · ` +
					`limit ${config.rateLimit} calls/s (${config.rateMode})`,
			);
		} catch {
			/* retried implicitly: the poll loop reports the connection state */
		}
	}

	async function poll() {
		try {
			const [messages, stats, campaigns] = await Promise.all([
				getJson('/_sandbox/messages'),
				getJson('/_sandbox/stats'),
				getJson('/_sandbox/campaigns'),
			]);
			render(messages, stats, campaigns);
			setLive(true, `Live · updated ${formatTime(Date.now())}`);
		} catch {
			setLive(false, 'Sandbox unreachable, retrying…');
		}
	}

	async function pollForever() {
		await poll();
		window.setTimeout(pollForever, POLL_MS);
	}

	loadConfig();
	pollForever();
})();
