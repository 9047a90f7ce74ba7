import { Hono, type Context } from 'hono';
import { COUNTED_CATEGORIES } from '../../domain/lists.js';
import type { RefusalStatus } from '../../domain/failures.js';
import type { ScoringRule } from '../../domain/statistics.js';
import { formatDue } from '../../domain/vn-time.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Layout, Notice } from '../layout.js';
import { attempt, formFields, pageContext, personOf, seeOther, setFlash, takeFlash } from '../page.js';
import { reasonIn } from '../reasons.js';

/** Form values as typed, so a refused form comes back as the admin left it. */
type Typed = Record<string, string>;

const typedOf = (r: ScoringRule): Typed => ({
  ...Object.fromEntries(COUNTED_CATEGORIES.map((c) => [`points.${c}`, r.points[c] === null ? '' : String(r.points[c])])),
  'weights.lead': String(r.weights.lead),
  'weights.coordinating': String(r.weights.coordinating),
  'bands.green': String(r.bands.green),
  'bands.yellow': String(r.bands.yellow),
});

/** A typed form as a rule; null when a field that must be a number is not one. */
function ruleOf(f: Typed): ScoringRule | null {
  const num = (v: string | undefined) => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v.replace(',', '.'))) ? Number(v.replace(',', '.')) : null);
  const points = Object.fromEntries(COUNTED_CATEGORIES.map((c) => [c, num(f[`points.${c}`])])) as ScoringRule['points'];
  const badPoint = COUNTED_CATEGORIES.some((c) => (f[`points.${c}`] ?? '').trim() !== '' && points[c] === null);
  const lead = num(f['weights.lead']);
  const coordinating = num(f['weights.coordinating']);
  const green = num(f['bands.green']);
  const yellow = num(f['bands.yellow']);
  if (badPoint || lead === null || coordinating === null || green === null || yellow === null) return null;
  return { points, weights: { lead, coordinating }, bands: { green, yellow } };
}

/** The admin's scoring rule: every save is a new version; published results keep the one they used. */
export function scoringPages({ services }: WebDeps) {
  const app = new Hono<WebEnv>();

  async function page(c: Context<WebEnv>, typed?: Typed, refusal?: { status: RefusalStatus; messages: string[] }) {
    const ctx = pageContext(c);
    const { t } = ctx;
    const current = await services.statistics.rule();
    const values = typed ?? typedOf(current.rule);
    const flash = takeFlash(c);
    const field = (name: string, label: string, step = 'any') => (
      <label>
        {label}
        <input type="number" inputmode="decimal" step={step} min="0" name={name} value={values[name] ?? ''} />
      </label>
    );
    return c.html(
      <Layout ctx={ctx} title={t.scoring.title}>
        <h1>{t.scoring.title}</h1>
        {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
        {refusal?.messages.map((m) => <Notice kind="error">{reasonIn(ctx.language, m)}</Notice>)}
        <p class="who">{t.scoring.version(current.version, current.savedAt ? formatDue(current.savedAt) : '')}</p>
        <form method="post" action="/admin/scoring">
          <Csrf ctx={ctx} />
          <fieldset>
            <legend>{t.scoring.lead}</legend>
            <div class="grid">{COUNTED_CATEGORIES.map((k) => field(`points.${k}`, t.timeliness[k]))}</div>
          </fieldset>
          <fieldset>
            <legend>{t.scoring.weights}</legend>
            <div class="grid">
              {field('weights.lead', t.scoring.leadWeight)}
              {field('weights.coordinating', t.scoring.coordinatingWeight)}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t.scoring.bands}</legend>
            <div class="grid">
              {field('bands.green', t.scoring.green)}
              {field('bands.yellow', t.scoring.yellow)}
            </div>
          </fieldset>
          <button type="submit">{t.scoring.save}</button>
        </form>
        <p>
          <a href="/statistics">{t.statistics.back}</a>
        </p>
      </Layout>,
      refusal?.status ?? 200,
    );
  }

  app.get('/', (c) => page(c));

  app.post('/', async (c) => {
    const person = personOf(c);
    const typed = await formFields(c);
    const rule = ruleOf(typed);
    const t = pageContext(c).t;
    if (!rule) return page(c, typed, { status: 422, messages: [t.scoring.notNumber] });
    const saved = await attempt(() => services.statistics.saveRule(person, rule));
    if (!saved.ok) return page(c, typed, { status: saved.status, messages: saved.failure.errors?.map((e) => e.message) ?? [saved.failure.message] });
    setFlash(c, { ok: t.scoring.saved });
    return seeOther(c, '/admin/scoring');
  });

  return app;
}
