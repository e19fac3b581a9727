// The organisers' live page (issue 11): figures from /api/figures, updates pushed by /api/stream
// (server-sent events), the people still expected from /api/expected. No framework, no build step;
// every text from the server goes through textContent (never innerHTML).
'use strict';

(function() {
const TEXTS = {
    fr : {
        title : 'Arrivées',
        day : 'Jour',
        lang_hint : 'Changer de langue : English',
        logout : 'Se déconnecter',
        loading : 'Chargement…',
        login_title : 'Connexion des organisateurs',
        password : 'Mot de passe',
        login : 'Se connecter',
        login_hint : 'Ou scannez le QR code affiché par « accueil-sync link ».',
        numbers_title : 'Chiffres du jour',
        arrived_of_registered : 'arrivés / inscrits ce jour',
        percent : 'des inscrits arrivés',
        still_expected : 'encore attendus',
        walk_ins : 'inscrits sur place',
        duplicates : 'doubles passages',
        undos : 'annulations',
        reprints : 'badges réimprimés',
        chart_title : 'Arrivées par quart d’heure',
        expected_title : 'Encore attendus ce jour',
        search_label : 'Rechercher un nom, une organisation, un e-mail',
        search_placeholder : 'Nom, organisation, e-mail…',
        categories_title : 'Par catégorie',
        category : 'Catégorie',
        registered : 'Inscrits',
        arrived : 'Arrivés',
        share : '%',
        devices_title : 'Par borne',
        device : 'Borne',
        arrivals_day : 'Arrivées du jour',
        state : 'État',
        no_category : '(sans catégorie)',
        wrong_password : 'Mot de passe incorrect.',
        empty_password : 'Saisissez le mot de passe.',
        throttled : (s) => `Trop de tentatives : réessayez dans ${s} s.`,
        login_failed : 'Connexion impossible : le serveur ne répond pas.',
        up_to_date : (t) => `À jour à ${t}`,
        lost : (t) => `Connexion au serveur perdue depuis ${t} — nouvelle tentative…`,
        back : (t) => `De nouveau connecté (${t})`,
        busiest : (from, to, n) =>
            `Quart d’heure le plus chargé : ${from}–${to}, ${n} arrivée${n === '1' ? '' : 's'}.`,
        nobody_yet : 'Personne n’est encore arrivé ce jour.',
        chart_label : (n) => `Arrivées par quart d’heure, ${n} au total`,
        expected_count : (n) => `${n} personne${n === '1' || n === '0' ? '' : 's'} encore attendue${
            n === '1' || n === '0' ? '' : 's'}`,
        expected_more : (n) => `… et ${n} de plus : affinez la recherche.`,
        expected_none : 'Personne d’autre n’est attendu.',
        online : 'en ligne',
        offline_since : (t) => `hors ligne depuis ${t}`,
        never_synced : 'jamais synchronisée',
        revoked : 'révoquée',
        not_enrolled : 'non inscrite ici',
        organisers : 'poste des organisateurs',
        pending : (n) => `${n} en attente d’envoi`,
        last_contact : (t) => `dernier contact ${t}`,
        role_kiosk : 'borne',
        role_desk : 'accueil',
        role_central : 'central',
        today : 'Aujourd’hui',
        no_devices : 'Aucune borne.',
        no_categories : 'Aucun inscrit.',
    },
    en : {
        title : 'Arrivals',
        day : 'Day',
        lang_hint : 'Change language: français',
        logout : 'Log out',
        loading : 'Loading…',
        login_title : 'Organisers’ login',
        password : 'Password',
        login : 'Log in',
        login_hint : 'Or scan the QR code shown by “accueil-sync link”.',
        numbers_title : 'Figures of the day',
        arrived_of_registered : 'arrived / registered this day',
        percent : 'of the registered arrived',
        still_expected : 'still expected',
        walk_ins : 'walk-ins',
        duplicates : 'second scans',
        undos : 'undone check-ins',
        reprints : 'badges reprinted',
        chart_title : 'Arrivals per quarter-hour',
        expected_title : 'Still expected this day',
        search_label : 'Search a name, an organisation, an e-mail',
        search_placeholder : 'Name, organisation, e-mail…',
        categories_title : 'By category',
        category : 'Category',
        registered : 'Registered',
        arrived : 'Arrived',
        share : '%',
        devices_title : 'By kiosk',
        device : 'Kiosk',
        arrivals_day : 'Arrivals this day',
        state : 'State',
        no_category : '(no category)',
        wrong_password : 'Wrong password.',
        empty_password : 'Type the password.',
        throttled : (s) => `Too many attempts: try again in ${s} s.`,
        login_failed : 'Cannot log in: the server does not answer.',
        up_to_date : (t) => `Up to date at ${t}`,
        lost : (t) => `Connection to the server lost since ${t} — retrying…`,
        back : (t) => `Connected again (${t})`,
        busiest : (from, to, n) =>
            `Busiest quarter-hour: ${from}–${to}, ${n} arrival${n === '1' ? '' : 's'}.`,
        nobody_yet : 'Nobody has arrived yet this day.',
        chart_label : (n) => `Arrivals per quarter-hour, ${n} in all`,
        expected_count : (n) => `${n} ${n === '1' ? 'person' : 'people'} still expected`,
        expected_more : (n) => `… and ${n} more: refine the search.`,
        expected_none : 'Nobody else is expected.',
        online : 'online',
        offline_since : (t) => `offline since ${t}`,
        never_synced : 'never synced',
        revoked : 'revoked',
        not_enrolled : 'not enrolled here',
        organisers : 'organisers’ machine',
        pending : (n) => `${n} waiting to be sent`,
        last_contact : (t) => `last contact ${t}`,
        role_kiosk : 'kiosk',
        role_desk : 'desk',
        role_central : 'central',
        today : 'Today',
        no_devices : 'No kiosk.',
        no_categories : 'Nobody registered.',
    },
};

const EXPECTED_LIMIT = 50;
const SEARCH_DELAY_MS = 250;
const RECONNECT_MS = 3000;
const BACK_SHOWN_MS = 10000;

const $ = (id) => document.getElementById(id);

const state = {
    lang : 'fr',
    day : '', // '' = the server's today
    figures : null,
    expected : null,
    expectedAll : null, // the unfiltered list's count, for the big number
    stream : null,
    lostSince : null, // ms when the stream broke, null while connected
    backAt : null,    // ms when it came back
    reconnectTimer : null,
    searchTimer : null,
    expectedSeq : 0,
    figuresSeq : 0,
};

// ---- language and formatting -------------------------------------------------------------

function initialLanguage() {
    try {
        const saved = localStorage.getItem('accueil.lang');
        if (saved === 'fr' || saved === 'en')
            return saved;
    } catch (e) {
        // Storage may be refused (private mode): the browser's language decides.
    }
    return (navigator.language || 'fr').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function t(key, ...args) {
    const v = TEXTS[state.lang][key];
    return typeof v === 'function' ? v(...args) : v;
}

function locale() { return state.lang === 'fr' ? 'fr-FR' : 'en-GB'; }

function num(n) { return Number(n).toLocaleString(locale()); }

function percent(part, whole) {
    if (!whole)
        return '—';
    return new Intl.NumberFormat(locale(), {style : 'percent', maximumFractionDigits : 0})
        .format(part / whole);
}

function zone() { return (state.figures && state.figures.timezone) || undefined; }

function fmt(ms, options) {
    try {
        return new Intl.DateTimeFormat(locale(), Object.assign({timeZone : zone()}, options))
            .format(new Date(ms));
    } catch (e) {
        // An unknown time zone name: the browser's own zone rather than nothing.
        return new Intl.DateTimeFormat(locale(), options).format(new Date(ms));
    }
}

const hhmm = (ms) => fmt(ms, {hour : '2-digit', minute : '2-digit', hourCycle : 'h23'});
const hhmmss = (ms) => fmt(ms, {hour : '2-digit', minute : '2-digit', second : '2-digit', hourCycle : 'h23'});
const localDate = (ms) => fmt(ms, {year : 'numeric', month : '2-digit', day : '2-digit'});

// "09:12", or "27/09 09:12" when it was not today.
function when(ms) {
    if (localDate(ms) === localDate(Date.now()))
        return hhmm(ms);
    return fmt(ms, {day : '2-digit', month : '2-digit'}) + ' ' + hhmm(ms);
}

function dayName(date) {
    // Noon UTC of that date: its calendar day in every zone near Europe.
    const d = new Date(date + 'T12:00:00Z');
    try {
        return new Intl
            .DateTimeFormat(locale(), {weekday : 'short', day : 'numeric', month : 'short', timeZone : 'UTC'})
            .format(d);
    } catch (e) {
        return date;
    }
}

function applyLanguage() {
    document.documentElement.lang = state.lang;
    for (const el of document.querySelectorAll('[data-i18n]'))
        el.textContent = t(el.dataset.i18n);
    $('lang').textContent = state.lang === 'fr' ? 'EN' : 'FR';
    $('lang').setAttribute('aria-label', t('lang_hint'));
    $('expected-q').placeholder = t('search_placeholder');
    $('event-name').textContent = (state.figures && state.figures.event_name) || t('title');
    document.title =
        (state.figures && state.figures.event_name ? state.figures.event_name + ' — ' : '') + t('title');
    if (state.figures)
        render();
    if (state.expected)
        renderExpected();
    renderStatus();
}

// ---- network -------------------------------------------------------------------------------

async function getJson(url) {
    const res = await fetch(url, {credentials : 'same-origin', cache : 'no-store'});
    let body = null;
    try {
        body = await res.json();
    } catch (e) {
        body = null;
    }
    return {status : res.status, body, res};
}

function figuresUrl() { return '/api/figures' + (state.day ? '?day=' + encodeURIComponent(state.day) : ''); }

async function loadFigures() {
    const seq = ++state.figuresSeq;
    let r;
    try {
        r = await getJson(figuresUrl());
    } catch (e) {
        if (!state.figures)
            connectionLost();
        return;
    }
    if (seq !== state.figuresSeq)
        return; // a newer answer is on its way
    if (r.status === 401) {
        showLogin();
        return;
    }
    if (r.status !== 200 || !r.body)
        return;
    showFigures(r.body);
}

function showFigures(figures) {
    state.figures = figures;
    $('loading').hidden = true;
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('logout').hidden = false;
    $('day-pick').hidden = false;
    document.title = (figures.event_name ? figures.event_name + ' — ' : '') + t('title');
    $('event-name').textContent = figures.event_name || t('title');
    render();
    loadExpected();
    if (!state.stream && state.reconnectTimer === null)
        openStream();
    renderStatus();
}

function showLogin() {
    closeStream();
    state.figures = null;
    state.lostSince = null;
    $('loading').hidden = true;
    $('dashboard').hidden = true;
    $('logout').hidden = true;
    $('day-pick').hidden = true;
    $('login').hidden = false;
    $('event-name').textContent = t('title');
    renderStatus();
    $('password').focus();
}

async function login(event) {
    event.preventDefault();
    const error = $('login-error');
    const password = $('password').value;
    if (!password) {
        error.textContent = t('empty_password');
        return;
    }
    $('login-submit').disabled = true;
    error.textContent = '';
    try {
        const res = await fetch('/api/login', {
            method : 'POST',
            credentials : 'same-origin',
            headers : {'Content-Type' : 'application/json'},
            body : JSON.stringify({password}),
        });
        let body = null;
        try {
            body = await res.json();
        } catch (e) {
            body = null;
        }
        if (res.status === 200) {
            $('password').value = '';
            await loadFigures();
        } else if (res.status === 429) {
            const wait = (body && Number.isFinite(body.retry_after_s) && body.retry_after_s) ||
                         Number(res.headers.get('Retry-After')) || 60;
            error.textContent = t('throttled', num(Math.ceil(wait)));
        } else {
            error.textContent = t('wrong_password');
            $('password').select();
        }
    } catch (e) {
        error.textContent = t('login_failed');
    } finally {
        $('login-submit').disabled = false;
    }
}

async function logout() {
    try {
        await fetch('/api/logout', {method : 'POST', credentials : 'same-origin'});
    } catch (e) {
        // Logged out locally all the same.
    }
    showLogin();
}

async function loadExpected() {
    if (!state.figures)
        return;
    const seq = ++state.expectedSeq;
    const q = $('expected-q').value.trim();
    const url = '/api/expected?day=' + encodeURIComponent(state.figures.day) + '&q=' + encodeURIComponent(q) +
                '&limit=' + EXPECTED_LIMIT;
    let r;
    try {
        r = await getJson(url);
    } catch (e) {
        return;
    }
    if (seq !== state.expectedSeq)
        return;
    if (r.status === 401) {
        showLogin();
        return;
    }
    if (r.status !== 200 || !r.body)
        return;
    state.expected = {query : q, day : state.figures.day, total : r.body.total, people : r.body.people || []};
    if (q === '')
        state.expectedAll = {day : state.figures.day, total : r.body.total};
    renderExpected();
    render();
}

// ---- live updates --------------------------------------------------------------------------

function openStream() {
    state.reconnectTimer = null;
    const es = new EventSource('/api/stream');
    state.stream = es;
    es.addEventListener('open', () => {
        if (state.stream !== es)
            return;
        if (state.lostSince !== null) {
            state.lostSince = null;
            state.backAt = Date.now();
            // Whatever happened meanwhile, for the selected day too.
            loadFigures();
        }
        renderStatus();
    });
    es.addEventListener('figures', (e) => {
        if (state.stream !== es)
            return;
        let figures;
        try {
            figures = JSON.parse(e.data);
        } catch (err) {
            return;
        }
        if (state.lostSince !== null) {
            state.lostSince = null;
            state.backAt = Date.now();
        }
        // The stream speaks of today; another selected day is read again.
        if (!state.day || state.day === figures.day)
            showFigures(figures);
        else
            loadFigures();
    });
    es.addEventListener('error', () => {
        if (state.stream !== es)
            return;
        connectionLost();
        if (es.readyState === EventSource.CLOSED) {
            // Refused rather than unreachable: the browser will not retry by itself. The session may
            // have ended, and loadFigures then shows the login (which cancels the retry).
            closeStream();
            state.reconnectTimer = setTimeout(openStream, RECONNECT_MS);
            loadFigures();
        }
    });
}

function closeStream() {
    if (state.stream)
        state.stream.close();
    state.stream = null;
    if (state.reconnectTimer !== null)
        clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
}

function connectionLost() {
    if (state.lostSince === null)
        state.lostSince = Date.now();
    state.backAt = null;
    renderStatus();
}

function renderStatus() {
    const el = $('status');
    el.className = 'status';
    if (state.lostSince !== null) {
        el.textContent = t('lost', hhmm(state.lostSince));
        el.classList.add('status-lost');
    } else if (state.figures) {
        let text = t('up_to_date', hhmmss(state.figures.generated_ms || Date.now()));
        if (state.backAt !== null && Date.now() - state.backAt < BACK_SHOWN_MS) {
            text = t('back', hhmm(state.backAt)) + ' · ' + text;
            el.classList.add('status-back');
        }
        el.textContent = text;
    } else {
        el.textContent = '';
    }
}

// ---- drawing -------------------------------------------------------------------------------

function selectedDay() {
    const f = state.figures;
    return (f.days || []).find((d) => d.date === f.day) || null;
}

function setNumber(id, value) {
    const el = $(id);
    el.dataset.value = String(value);
    el.textContent = num(value);
}

function render() {
    const f = state.figures;
    if (!f)
        return;
    const day = selectedDay();
    renderDays();
    const registered = day ? day.registered : 0;
    const arrived = day ? day.arrived : 0;
    setNumber('n-arrived', arrived);
    setNumber('n-registered', registered);
    $('n-percent').textContent = percent(arrived, registered);
    // Registered and not arrived, as the list counts it (someone may come on a day not theirs).
    const all = state.expectedAll;
    const expected = all && all.day === f.day ? all.total : Math.max(0, registered - arrived);
    setNumber('n-expected', expected);
    setNumber('n-walk-ins', day ? day.walk_ins : 0);
    setNumber('n-duplicates', day ? day.duplicates : 0);
    setNumber('n-undos', day ? day.undos : 0);
    setNumber('n-reprints', f.reprints || 0);
    renderChart(day);
    renderCategories();
    renderDevices();
}

function renderDays() {
    const f = state.figures;
    const select = $('day');
    const wanted = (f.days || [])
                       .map((d) => d.date + '|' + d.label + '|' + (d.date === f.today) + '|' + state.lang)
                       .join(',');
    if (select.dataset.days !== wanted) {
        select.dataset.days = wanted;
        select.replaceChildren();
        for (const d of f.days || []) {
            const option = document.createElement('option');
            option.value = d.date;
            let text = dayName(d.date);
            if (d.label)
                text += ' · ' + d.label;
            if (d.date === f.today)
                text = t('today') + ' · ' + text;
            option.textContent = text;
            select.appendChild(option);
        }
    }
    select.value = f.day;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attrs, text) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {}))
        el.setAttribute(k, String(v));
    if (text !== undefined)
        el.textContent = text;
    return el;
}

// A step for the value axis: 1, 2 or 5 times a power of ten, about four lines.
function niceStep(max) {
    const raw = Math.max(1, max / 4);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10])
        if (m * p >= raw)
            return m * p;
    return 10 * p;
}

function quarterEnd(label) {
    const [h, m] = label.split(':').map(Number);
    const end = h * 60 + m + 15;
    return String(Math.floor(end / 60) % 24).padStart(2, '0') + ':' + String(end % 60).padStart(2, '0');
}

function renderChart(day) {
    const box = $('chart');
    const quarters = (day && day.quarter_hours) || [];
    const busiest = day && day.busiest;
    $('busiest').textContent =
        busiest ? t('busiest', busiest.label, quarterEnd(busiest.label), num(busiest.arrivals))
                : t('nobody_yet');
    box.replaceChildren();
    if (!quarters.length)
        return;

    // Drawn at the box's own width, so that the labels keep their size on a phone.
    const W = Math.max(280, Math.round(box.clientWidth || 720));
    const H = W < 600 ? 210 : 270;
    const left = 44;
    const right = 8;
    const top = 12;
    const bottom = 34;
    const plotW = W - left - right;
    const plotH = H - top - bottom;
    const max = Math.max(1, ...quarters.map((q) => q.arrivals));
    const step = niceStep(max);
    const axisMax = Math.ceil(max / step) * step;
    const total = quarters.reduce((s, q) => s + q.arrivals, 0);

    const root = svg('svg', {
        viewBox : `0 0 ${W} ${H}`,
        role : 'img',
        class : 'chart-svg',
        preserveAspectRatio : 'xMidYMid meet'
    });
    root.appendChild(svg('title', {}, t('chart_label', num(total))));

    for (let v = 0; v <= axisMax; v += step) {
        const y = top + plotH - (v / axisMax) * plotH;
        root.appendChild(
            svg('line', {x1 : left, x2 : W - right, y1 : y, y2 : y, class : v === 0 ? 'axis' : 'grid'}));
        root.appendChild(
            svg('text', {x : left - 6, y : y + 5, class : 'tick', 'text-anchor' : 'end'}, num(v)));
    }

    // At least four hours' worth of slots: a morning's first quarter-hours are not wall-wide bars.
    const slot = plotW / Math.max(quarters.length, 16);
    const barW = Math.max(1, slot * 0.8);
    // Every bar named when there are few; else the hours, one in `every` so that at most about
    // twelve labels share the axis.
    const hours = quarters.filter((q) => q.label.endsWith(':00')).length;
    const maxLabels = Math.max(2, Math.min(12, Math.floor(plotW / 56)));
    const every = Math.max(1, Math.ceil(hours / maxLabels));
    let hourIndex = 0;
    quarters.forEach((q, i) => {
        const h = (q.arrivals / axisMax) * plotH;
        const x = left + i * slot + (slot - barW) / 2;
        const isBusiest = busiest && q.start_ms === busiest.start_ms;
        const bar = svg('rect', {
            x : x.toFixed(1),
            y : (top + plotH - h).toFixed(1),
            width : barW.toFixed(1),
            height : Math.max(0, h).toFixed(1),
            class : isBusiest ? 'bar bar-busiest' : 'bar',
        });
        bar.appendChild(svg('title', {}, `${q.label}–${quarterEnd(q.label)} : ${num(q.arrivals)}`));
        root.appendChild(bar);
        // With no hour among the bars, the first one is named so that the axis still says when.
        let labelled = (quarters.length <= maxLabels && slot >= 56) || (hours === 0 && i === 0);
        if (!labelled && q.label.endsWith(':00'))
            labelled = hourIndex++ % every === 0;
        if (labelled) {
            root.appendChild(svg('text', {
                x : (left + i * slot + slot / 2).toFixed(1),
                y : H - bottom + 20,
                class : 'tick',
                'text-anchor' : 'middle'
            },
                                 q.label));
        }
    });
    box.appendChild(root);
}

function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className)
        td.className = className;
    row.appendChild(td);
    return td;
}

function emptyRow(body, cols, text) {
    const row = document.createElement('tr');
    const td = cell(row, text, 'empty');
    td.colSpan = cols;
    body.appendChild(row);
}

function renderCategories() {
    const f = state.figures;
    const body = document.querySelector('#categories tbody');
    body.replaceChildren();
    for (const c of f.categories || []) {
        const d = (c.days || []).find((x) => x.date === f.day) || {registered : 0, arrived : 0};
        const row = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = c.category || t('no_category');
        row.appendChild(th);
        cell(row, num(d.registered), 'num');
        cell(row, num(d.arrived), 'num');
        cell(row, percent(d.arrived, d.registered), 'num');
        body.appendChild(row);
    }
    if (!body.children.length)
        emptyRow(body, 4, t('no_categories'));
}

function deviceState(d) {
    if (d.revoked)
        return {text : t('revoked'), cls : 'state-off'};
    if (d.offline)
        return {
            text : t('offline_since', when(d.offline_since_ms ?? d.last_contact_ms ?? Date.now())),
            cls : 'state-offline'
        };
    if (d.role === '')
        return {text : t('not_enrolled'), cls : 'state-off'};
    if (d.role === 'central')
        return {text : t('organisers'), cls : 'state-ok'};
    if (d.last_contact_ms === null || d.last_contact_ms === undefined)
        return {text : t('never_synced'), cls : 'state-off'};
    return {text : t('online'), cls : 'state-ok'};
}

function renderDevices() {
    const body = document.querySelector('#devices tbody');
    body.replaceChildren();
    for (const d of state.figures.devices || []) {
        const row = document.createElement('tr');
        const s = deviceState(d);
        if (d.offline)
            row.className = 'row-offline';
        const th = document.createElement('th');
        th.scope = 'row';
        const name = document.createElement('span');
        name.className = 'device-name';
        name.textContent = d.name;
        th.appendChild(name);
        if (d.role && t('role_' + d.role)) {
            const role = document.createElement('span');
            role.className = 'device-role';
            role.textContent = t('role_' + d.role);
            th.appendChild(role);
        }
        row.appendChild(th);
        cell(row, num(d.arrivals_on_day), 'num');
        const stateCell = cell(row, '', 'state');
        const badge = document.createElement('span');
        badge.className = 'state-badge ' + s.cls;
        badge.textContent = s.text;
        stateCell.appendChild(badge);
        const notes = [];
        if (!d.offline && d.role !== 'central' && d.last_contact_ms !== null &&
            d.last_contact_ms !== undefined)
            notes.push(t('last_contact', when(d.last_contact_ms)));
        if (d.pending > 0 && !d.revoked)
            notes.push(t('pending', num(d.pending)));
        for (const note of notes) {
            const p = document.createElement('span');
            p.className = 'pending';
            p.textContent = note;
            stateCell.appendChild(p);
        }
        body.appendChild(row);
    }
    if (!body.children.length)
        emptyRow(body, 3, t('no_devices'));
}

function renderExpected() {
    const e = state.expected;
    const list = $('expected-list');
    list.replaceChildren();
    if (!e)
        return;
    $('expected-count').textContent = t('expected_count', num(e.total));
    for (const p of e.people) {
        const li = document.createElement('li');
        const name = document.createElement('span');
        name.className = 'person-name';
        name.textContent = [ p.last_name, p.first_name ].filter(Boolean).join(' ');
        li.appendChild(name);
        const detail = [ p.organisation, p.category ].filter(Boolean).join(' · ');
        if (detail) {
            const d = document.createElement('span');
            d.className = 'person-detail';
            d.textContent = detail;
            li.appendChild(d);
        }
        list.appendChild(li);
    }
    if (e.total > e.people.length) {
        const li = document.createElement('li');
        li.className = 'more';
        li.textContent = t('expected_more', num(e.total - e.people.length));
        list.appendChild(li);
    } else if (!e.people.length) {
        const li = document.createElement('li');
        li.className = 'more';
        li.textContent = t('expected_none');
        list.appendChild(li);
    }
}

// ---- start ---------------------------------------------------------------------------------

function start() {
    state.lang = initialLanguage();
    applyLanguage();
    $('lang').addEventListener('click', () => {
        state.lang = state.lang === 'fr' ? 'en' : 'fr';
        try {
            localStorage.setItem('accueil.lang', state.lang);
        } catch (e) {
            // Kept for this visit only.
        }
        applyLanguage();
    });
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('day').addEventListener('change', () => {
        state.day = $('day').value === (state.figures && state.figures.today) ? '' : $('day').value;
        state.expected = null;
        loadFigures();
    });
    $('expected-q').addEventListener('input', () => {
        clearTimeout(state.searchTimer);
        state.searchTimer = setTimeout(loadExpected, SEARCH_DELAY_MS);
    });
    let resizeTimer = null;
    window.addEventListener('resize', () => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(() => state.figures && renderChart(selectedDay()), 150);
    });
    // The "connected again" words fade into the plain status after a while.
    setInterval(renderStatus, 5000);
    loadFigures();
}

document.addEventListener('DOMContentLoaded', start);
})();
