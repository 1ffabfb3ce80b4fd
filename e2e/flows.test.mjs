// Browser end-to-end tests of `dorsum serve` in Debian's headless Chromium (playwright-core, no browser
// download). Run by crates/dorsum/tests/browser.rs, which starts the real server on a scratch store and
// sets BASE_URL; screenshots (phone and desktop widths) go to SCREENSHOT_DIR.
//
// Flows: a self-care check by clicking the body map, saved into the diary, with entries that appear in
// the chart; an emergency check; a keyboard-only check; the same flows with JavaScript off; and an
// axe-core scan of every page with no serious or critical violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOT_DIR || 'screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
assert.ok(BASE, 'BASE_URL must point at a running dorsum serve');
mkdirSync(SHOTS, { recursive: true });
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let browser;
const axeResults = [];
const cspViolations = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage({ js = true, viewport = PHONE } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport });
  const page = await context.newPage();
  page.on('console', (msg) => {
    const t = msg.text();
    if (/Content Security Policy|Refused to/i.test(t)) cspViolations.push(`${page.url()}: ${t}`);
  });
  return page;
}

/** axe-core on the current page: no serious or critical violations. */
async function axeCheck(page, name) {
  // page.evaluate runs through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeResults.push({ name, violations: result.length, bad: bad.length });
  assert.deepEqual(bad, [], `${name}: axe found serious or critical violations`);
}

/** Run `action` (a click or key press that submits a form) and wait for the page it leads to. */
async function nav(page, action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), action()]);
}

async function shoot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Answer questions until the result page, choosing with `choose(kind)`. Returns the number asked. */
async function answerUntilResult(page, choose, { onQuestion } = {}) {
  let first = null;
  for (let asked = 0; asked <= 20; asked++) {
    if (await page.locator('#verdict').count()) return asked;
    const form = page.locator('form.question');
    assert.equal(await form.count(), 1, `expected a question or the result at ${page.url()}`);
    const progress = await page.locator('.progress-text').innerText();
    const number = Number(progress.match(/Question (\d+)/)[1]);
    first ??= number;
    assert.equal(number, first + asked, 'questions are numbered one after another');
    if (onQuestion) await onQuestion(page, asked);
    await nav(page, () => choose(page));
  }
  assert.fail('no result within 20 questions');
}

async function questionKind(page) {
  if (await page.locator('form.question button[value="yes"]').count()) return 'yes_no';
  if (await page.locator('form.question input[name="number"]').count()) return 'number';
  if (await page.locator('form.question input[type="radio"][name="choice"]').count()) return 'one_of';
  return 'any_of';
}

/** Mostly "no": the picture of uncomplicated back pain. */
async function calmAnswers(page) {
  const kind = await questionKind(page);
  if (kind === 'yes_no') return page.locator('button[value="no"]').click();
  if (kind === 'number') {
    await page.locator('.scale label.pill', { hasText: /^3$/ }).first().click();
    return page.locator('button[value="number"]').click();
  }
  if (kind === 'one_of') {
    await page.locator('input[name="choice"]').first().check({ force: true });
    return page.locator('button[value="chosen"]').click();
  }
  return page.locator('button[value="none"]').click();
}

async function startCheck(page, { age, sex, regions, text, js = true }) {
  await page.goto(`${BASE}/`);
  await page.fill('#age', String(age));
  await page.check(`input[name="sex"][value="${sex}"]`);
  for (const r of regions) {
    if (js) {
      await page.click(`svg [data-region="${r}"]`);
      assert.equal(await page.isChecked(`#region-${r}`), true, `clicking ${r} on the map ticks it`);
      assert.equal(await page.getAttribute(`svg [data-region="${r}"]`, 'aria-checked'), 'true');
    } else {
      await page.check(`#region-${r}`);
    }
  }
  await page.fill('#text', text);
  await nav(page, () => page.click('form.start button[type="submit"]'));
}

test('self-care check by clicking the body map, then the diary and its chart', async () => {
  const page = await newPage();
  await page.goto(`${BASE}/`);
  await axeCheck(page, 'start');
  await shoot(page, 'start-phone');
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'start-desktop');
  await page.click('svg [data-region="lower_back_centre"]');
  await page.click('svg [data-region="thigh_left"]');
  await page.mouse.move(0, 0);
  await page.locator('svg [data-region="lower_back_centre"]').scrollIntoViewIfNeeded();
  await shoot(page, 'readme-bodymap-desktop', { fullPage: false });
  await page.setViewportSize(PHONE);
  await startCheck(page, {
    age: 34, sex: 'female', regions: ['lower_back_centre', 'lower_back_left'],
    text: 'My lower back has ached for 4 days since I lifted a heavy box, it gets better when I walk about. No numbness, no tingling and no fever.',
  });
  // What we understood, with the chance to correct it.
  assert.match(await page.locator('h1').innerText(), /what you meant/);
  assert.ok((await page.locator('ul.understood li').count()) >= 2);
  await axeCheck(page, 'confirm');
  await nav(page, () => page.click('form button.primary'));
  let sawWhy = false;
  const asked = await answerUntilResult(page, calmAnswers, {
    onQuestion: async (p, i) => {
      if (i === 0) {
        await axeCheck(p, 'question');
        await p.locator('details.why summary').click();
        assert.ok((await p.locator('details.why p').first().innerText()).length > 10);
        sawWhy = true;
        await shoot(p, 'question-phone');
      }
    },
  });
  assert.ok(asked >= 1, 'the body map and a short description leave questions to ask');
  assert.ok(sawWhy, '"why am I asked this?" was opened and explained');
  assert.equal(await page.locator('.verdict.emergency').count(), 0);
  assert.match(await page.locator('#verdict').innerText(), /look after this at home/);
  assert.match(await page.locator('main').innerText(), /lower back \(lumbar spine\)/i);
  assert.ok((await page.locator('ol.causes > li').count()) >= 1);
  assert.match(await page.locator('#plan').innerText(), /week plan/);
  assert.ok((await page.locator('ul.exercises li').count()) >= 1);
  await axeCheck(page, 'result-self-care');
  await shoot(page, 'result-self-care-phone');
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'result-self-care-desktop');

  // Save and start the diary.
  await nav(page, () => page.click('form[action="/save"] button'));
  assert.match(page.url(), /\/diary\?saved=1$/);
  assert.match(await page.locator('.notice').innerText(), /saved/);
  assert.doesNotMatch(await page.locator('.follow-up').innerText(), /Do a check first/);
  // The PSFS is offered right after saving.
  await page.fill('#activity-1', 'lifting my toddler');
  await page.fill('#activity-score-1', '3');
  await page.fill('#activity-2', 'gardening');
  await page.fill('#activity-score-2', '5');
  await nav(page, () => page.click('form.psfs-form button[type="submit"]'));
  assert.match(await page.locator('main').innerText(), /PSFS 4\.0 out of 10/);
  const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  for (const [date, pain] of [[day(3), 6], [day(1), 4], [day(0), 3]]) {
    await page.fill('#date', date);
    await page.locator('.diary-form .scale label.pill', { hasText: new RegExp(`^${pain}$`) }).click();
    await page.fill('#sessions', '1');
    await nav(page, () => page.click('.diary-form button[type="submit"]'));
    assert.match(await page.locator('.notice').innerText(), /entry saved/i);
  }
  assert.equal(await page.locator('table.entries tbody tr').count(), 3);
  const loaded = await page.locator('img.chart').evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.ok(loaded, 'the chart image loads');
  const svg = await (await page.request.get(`${BASE}/api/v1/diary/chart.svg`)).text();
  assert.equal((svg.match(/<circle /g) || []).length, 3, 'one point per entry in the chart');
  assert.match(await page.locator('img.chart').getAttribute('alt'), /3 entries/);
  // PEG and a warning sign in new symptoms.
  await page.fill('#peg_pain', '4');
  await page.fill('#peg_enjoyment', '3');
  await page.fill('#peg_activity', '5');
  await nav(page, () => page.click('form[action="/diary/peg"] button'));
  assert.match(await page.locator('main').innerText(), /PEG score 4\.0/);
  await axeCheck(page, 'diary');
  await page.setViewportSize(PHONE);
  await shoot(page, 'diary-phone');
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'diary-desktop');
  await page.locator('.diary-form .scale label.pill', { hasText: /^7$/ }).click();
  await page.fill('#symptoms', 'now I cannot feel my bottom when I wipe and I have not been able to pee');
  await nav(page, () => page.click('.diary-form button[type="submit"]'));
  const warn = page.locator('section.verdict[role="alert"]');
  assert.equal(await warn.count(), 1, 'a new warning sign in the diary raises an alert');
  assert.match(await warn.innerText(), /emergency|ambulance|now/i);
  // Delete one entry, export, then delete everything.
  await page.goto(`${BASE}/diary`);
  const before = await page.locator('table.entries tbody tr').count();
  await nav(page, () => page.locator('table.entries tbody tr').first().locator('button').click());
  assert.equal(await page.locator('table.entries tbody tr').count(), before - 1);
  const pdf = await page.request.get(`${BASE}/api/v1/report?format=pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal(await page.locator('a[href="/api/v1/fhir/bundle"]').count(), 1);
  const exported = await (await page.request.get(`${BASE}/diary/export`)).json();
  assert.equal(exported.format, 'dorsum-export');
  assert.equal(exported.diary.length, before - 1);
  await page.check('form.danger input[name="confirm"]');
  await nav(page, () => page.click('form.danger button'));
  assert.match(await page.locator('.notice').innerText(), /Everything was deleted/);
  assert.equal(await page.locator('table.entries').count(), 0);
  await page.context().close();
});

/** Mostly "yes": the picture of an emergency. */
async function alarmingAnswers(page) {
  const kind = await questionKind(page);
  if (kind === 'yes_no') return page.locator('button[value="yes"]').click();
  if (kind === 'number') {
    await page.locator('.scale label.pill', { hasText: /^9$/ }).first().click();
    return page.locator('button[value="number"]').click();
  }
  await page.locator('input[name="choice"]').first().check({ force: true });
  return page.locator('button[value="chosen"]').click();
}

test('an emergency check puts what to do first, with a call link', async () => {
  const page = await newPage();
  await startCheck(page, {
    age: 71, sex: 'male', regions: ['between_shoulder_blades', 'chest'],
    text: 'Sudden tearing pain in my back that goes through to my chest, started an hour ago. I feel sweaty and faint.',
  });
  if (await page.locator('ul.understood').count()) {
    await nav(page, () => page.click('form button.primary'));
  }
  await answerUntilResult(page, alarmingAnswers, {
    onQuestion: async (p) => {
      // Questions asked once the picture is already an emergency come after what to do now.
      if (await p.locator('section.verdict.emergency').count()) {
        const first = await p.evaluate(() => document.querySelector('main').firstElementChild.className);
        assert.match(first, /verdict emergency/);
        assert.equal(await p.locator('section.verdict.emergency a[href^="tel:"]').count(), 1);
      }
    },
  });
  const verdict = page.locator('section.verdict.emergency');
  assert.equal(await verdict.count(), 1);
  assert.equal(await verdict.getAttribute('role'), 'alert');
  // First thing in the page's main content.
  const first = await page.evaluate(() => document.querySelector('main').firstElementChild.className);
  assert.match(first, /verdict emergency/);
  assert.match(await page.locator('#verdict').innerText(), /ambulance|emergency department/i);
  const call = await verdict.locator('a[href^="tel:"]').first().getAttribute('href');
  assert.match(call, /^tel:\+?\d+$/);
  assert.match(await page.locator('#plan').innerText(), /No exercise plan/);
  await axeCheck(page, 'result-emergency');
  await shoot(page, 'result-emergency-phone');
  await shoot(page, 'readme-emergency-phone', { fullPage: false });
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'result-emergency-desktop');
  await page.context().close();
});

/** Press Tab until `pred` holds for the focused element. */
async function tabTo(page, pred, what) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(pred)) return;
  }
  assert.fail(`could not reach ${what} with the Tab key`);
}

test('keyboard only: body map, interview and result without a mouse', async () => {
  const page = await newPage();
  await page.goto(`${BASE}/`);
  await tabTo(page, () => document.activeElement?.id === 'age', 'the age field');
  await page.keyboard.type('45');
  await tabTo(page, () => document.activeElement?.name === 'sex', 'the sex choice');
  await page.keyboard.press('Space');
  await tabTo(page, () => document.activeElement?.getAttribute('data-region') === 'neck', 'the neck on the body map');
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked('#region-neck'), true, 'Space on a map region ticks it');
  await tabTo(page, () => document.activeElement?.id === 'text', 'the description');
  await page.keyboard.type('Stiff neck since I slept awkwardly two days ago, no arm pain, no numbness.');
  await tabTo(page, () => document.activeElement?.matches('form.start button[type="submit"]'), 'Continue');
  await nav(page, () => page.keyboard.press('Enter'));
  if (await page.locator('ul.understood').count()) {
    await tabTo(page, () => document.activeElement?.matches('button.primary'), 'Continue');
    await nav(page, () => page.keyboard.press('Enter'));
  }
  const asked = await answerUntilResult(page, async (p) => {
    const kind = await questionKind(p);
    const want = kind === 'yes_no' ? 'no' : kind === 'any_of' ? 'none' : null;
    if (want) {
      for (let i = 0; i < 60 && (await p.evaluate(() => document.activeElement?.value)) !== want; i++) {
        await p.keyboard.press('Tab');
      }
      assert.equal(await p.evaluate(() => document.activeElement?.value), want);
      await p.keyboard.press('Enter');
    } else {
      await tabTo(p, () => document.activeElement?.matches('input[name="choice"], input[name="number"]'), 'the first choice');
      if (kind === 'number') await p.keyboard.press('ArrowRight');
      else await p.keyboard.press('Space');
      await tabTo(p, () => document.activeElement?.matches('button[value="chosen"], button[value="number"]'), 'Continue');
      await p.keyboard.press('Enter');
    }
  });
  assert.ok(asked >= 1);
  assert.match(await page.locator('main').innerText(), /Your neck/);
  assert.equal(await page.locator('.verdict.emergency').count(), 0);
  await page.context().close();
});

test('with JavaScript off: the same check and diary work as plain forms', async () => {
  const page = await newPage({ js: false });
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('svg [data-region="neck"]', 'role'), null, 'the map is not enhanced without JavaScript');
  await startCheck(page, {
    js: false, age: 29, sex: 'male', regions: ['upper_back_left', 'between_shoulder_blades'],
    text: 'Aching between my shoulder blades after long days at my desk, better when I stretch. No chest pain, no breathlessness.',
  });
  if (await page.locator('ul.understood').count()) {
    await page.selectOption('ul.understood li:first-child select', 'keep');
    await nav(page, () => page.click('form button.primary'));
  }
  // Go back once and change the answer: the interview recomputes.
  if (!(await page.locator('#verdict').count())) {
    await nav(page, () => calmAnswers(page));
    if (await page.locator('button[name="back"]').count()) {
      const before = await page.locator('.question-text').innerText();
      await nav(page, () => page.click('button[name="back"]'));
      assert.match(await page.locator('.progress-text').innerText(), /Question 1\b/);
      await nav(page, () => calmAnswers(page));
      assert.equal(await page.locator('.question-text').innerText(), before, 'the same answer leads to the same next question');
    }
  }
  await answerUntilResult(page, calmAnswers);
  assert.match(await page.locator('main').innerText(), /upper back \(thoracic spine\)/i);
  await nav(page, () => page.click('form[action="/save"] button'));
  await page.locator('.diary-form .scale input[value="5"]').check({ force: true });
  await nav(page, () => page.click('.diary-form button[type="submit"]'));
  assert.equal(await page.locator('table.entries tbody tr').count(), 1);
  // An emergency without JavaScript.
  await startCheck(page, {
    js: false, age: 58, sex: 'female', regions: ['lower_back_centre'],
    text: 'Back pain and since this morning I cannot control my bladder and my bottom feels numb.',
  });
  if (await page.locator('ul.understood').count()) {
    await nav(page, () => page.click('form button.primary'));
  }
  await answerUntilResult(page, alarmingAnswers);
  assert.equal(await page.locator('section.verdict.emergency').count(), 1);
  await shoot(page, 'result-emergency-nojs-phone');
  await page.context().close();
});

test('unknown pages and tampered forms get a page, not a crash', async () => {
  const page = await newPage();
  const res = await page.goto(`${BASE}/no-such-page`);
  assert.equal(res.status(), 404);
  assert.match(await page.locator('h1').innerText(), /not found/i);
  await axeCheck(page, 'not-found');
  const r = await page.request.post(`${BASE}/check`, { form: { state: '{"age": 999}' } });
  assert.equal(r.status(), 422);
  assert.match(await r.text(), /cannot go on/);
});

test('no Content-Security-Policy violations on any page', () => {
  assert.deepEqual(cspViolations, []);
  console.log('axe results:', JSON.stringify(axeResults));
});
