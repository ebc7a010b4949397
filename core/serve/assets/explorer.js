// The pathways explorer: edits the served scenario's plan and projects it through the local JSON API
// (POST /api/run). A change runs one central run at once, then Monte Carlo draws in the background,
// which the next change cancels (the fetch is aborted and the server told to stop the run).
'use strict';

const background_draws = 200;
const background_delay_ms = 250;  // a slider being dragged makes many changes; draws start when it rests
const level_range = {min: 0, max: 3, step: 0.25};  // implementation levels of plan targets
const school_levels = ['elementary', 'middle', 'high'];

const state = {
  doc: null,            // the scenario document being edited
  original: null,       // its text as served, for "Undo all changes"
  file_name: 'scenario.json',
  graph: null,
  models: [],
  generation: 0,        // bumped on every change; answers for an older plan are dropped
  central: null,        // the latest central run (draws=0)
  bands: null,          // the latest Monte Carlo run of the current plan, or null
  central_ms: null,
  background: null,     // {controller, token, timer} of the Monte Carlo run under way
  central_busy: false,
  central_again: false,
};

const $ = (id) => document.getElementById(id);
const svg_ns = 'http://www.w3.org/2000/svg';

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg_element(tag, attributes = {}, text) {
  const node = document.createElementNS(svg_ns, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function format_sd(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return (value > 0 ? '+' : '−') + text;
}

// ---- the API ----------------------------------------------------------------------------------

class api_error extends Error {
  constructor(message, diagnostics) {
    super(message);
    this.diagnostics = diagnostics || [];
  }
}

async function call(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) throw new api_error(body.error || response.statusText, body.diagnostics);
  return {body, response};
}

/// The metrics the page shows: effects, and what the plan costs.
const shown_metrics = ['effect', 'cost_total', 'cost_per_student', 'cost_per_tenth_sd'];

/// Only the rows the page shows, on the chosen course (the full projection is ten times larger).
function run_path(draws, variant, extra = {}) {
  const query = new URLSearchParams({draws: String(draws), variant, metric: shown_metrics.join(','),
                                     course: $('course').value, ...extra});
  return '/api/run?' + query.toString();
}

function post_document(path, signal) {
  return call(path, {method: 'POST', body: JSON.stringify(state.doc), headers: {'Content-Type': 'application/json'},
                     signal});
}

// ---- editing the document ---------------------------------------------------------------------

function get_at(path) {
  return path.reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), state.doc);
}

function set_at(path, value) {
  let node = state.doc;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

function changed() {
  plan_changed();
}

function labelled_control(label, input, shown) {
  const row = element('label', {class: shown ? 'control' : 'control wide'});
  row.append(element('span', {}, label), input);
  if (shown) row.append(shown);
  return row;
}

function slider(label, path, range, describe = (v) => v.toFixed(2)) {
  const value = get_at(path);
  const input = element('input', {type: 'range', min: range.min, max: range.max, step: range.step,
                                  value: value, 'data-path': path.join('/')});
  const shown = element('output', {}, describe(Number(value)));
  input.addEventListener('input', () => {
    const v = Number(input.value);
    shown.textContent = describe(v);
    set_at(path, v);
    changed();
  });
  return labelled_control(label, input, shown);
}

function number_box(label, path, range) {
  const input = element('input', {type: 'number', min: range.min, max: range.max, step: range.step,
                                  value: get_at(path), 'data-path': path.join('/')});
  input.addEventListener('change', () => {
    if (input.value === '' || !input.checkValidity()) return;
    set_at(path, Number(input.value));
    changed();
  });
  return labelled_control(label, input);
}

function text_box(label, path) {
  const input = element('input', {type: 'text', value: get_at(path) || '', 'data-path': path.join('/')});
  input.addEventListener('change', () => {
    set_at(path, input.value);
    changed();
  });
  return labelled_control(label, input);
}

function target_label(pattern) {
  if (pattern === '*') return 'every practice';
  if (pattern.endsWith('.*')) return pattern.slice(0, -2) + ' practices';
  const node = state.graph && state.graph.model.nodes.find((n) => n.id === pattern);
  return node ? node.label : pattern;
}

function wave_fieldset(wave, index, count) {
  const base = ['implementation', 'waves', index];
  const box = element('fieldset', {'data-wave': index});
  box.append(element('legend', {}, `Wave ${index + 1}: ${wave.name || ''}`));
  box.append(text_box('Name', [...base, 'name']));
  box.append(number_box('Start year', [...base, 'start_year'], {min: 1990, max: 2100, step: 1}));
  const schools = wave.schools || {};
  if (schools.tag !== undefined) box.append(labelled_control('Schools tagged', element('span', {}, String(schools.tag))));
  if (schools.count !== undefined)
    box.append(number_box('Number of schools', [...base, 'schools', 'count'], {min: 1, max: 100000, step: 1}));
  if (Array.isArray(schools.level)) box.append(level_checkboxes([...base, 'schools', 'level']));
  for (const pattern of Object.keys(wave.targets || {})) {
    box.append(slider('Target: ' + target_label(pattern), [...base, 'targets', pattern], level_range));
  }
  const buttons = element('div', {class: 'wave-buttons'});
  const remove = element('button', {type: 'button'}, 'Remove wave');
  remove.disabled = count <= 1;
  remove.addEventListener('click', () => {
    state.doc.implementation.waves.splice(index, 1);
    build_controls();
    changed();
  });
  buttons.append(remove);
  box.append(buttons);
  return box;
}

function level_checkboxes(path) {
  const group = element('span', {});
  for (const level of school_levels) {
    const box = element('input', {type: 'checkbox', 'data-level': level});
    box.checked = get_at(path).includes(level);
    box.addEventListener('change', () => {
      const chosen = school_levels.filter((l) => group.querySelector(`[data-level=${l}]`).checked);
      if (chosen.length === 0) {
        box.checked = true;
        return;
      }
      set_at(path, chosen);
      changed();
    });
    const label = element('label', {}, ' ' + level + ' ');
    label.prepend(box);
    group.append(label);
  }
  const row = labelled_control('Levels', group);
  row.className = 'control levels';
  return row;
}

function effect_model_select() {
  const select = element('select', {id: 'effect-model'});
  const current = (state.doc.effect_model || {}).plugin;
  const original_model = JSON.parse(state.original).effect_model || {};
  for (const model of state.models) {
    const option = element('option', {value: model.name}, model.name);
    option.title = model.description;
    option.selected = model.name === current;
    select.append(option);
  }
  select.addEventListener('change', () => {
    // Parameters belong to one model: another model starts from its own defaults.
    const parameters = select.value === original_model.plugin ? original_model.parameters || {} : {};
    state.doc.effect_model = {plugin: select.value, parameters: structuredClone(parameters)};
    changed();
  });
  return labelled_control('Effect model', select);
}

function build_controls() {
  const form = $('plan-form');
  form.replaceChildren();
  const doc = state.doc;
  const implementation = doc.implementation || {};

  const general = element('fieldset', {});
  general.append(element('legend', {}, 'Scenario'));
  general.append(effect_model_select());
  general.append(number_box('Years projected', ['horizon', 'years'], {min: 1, max: 30, step: 1}));
  form.append(general);

  const conditions = implementation.conditions || {};
  if (Object.keys(conditions).length) {
    const box = element('fieldset', {});
    box.append(element('legend', {}, 'District conditions'));
    for (const name of Object.keys(conditions)) {
      const node = state.graph && state.graph.model.nodes.find((n) => n.id === name);
      box.append(slider(node ? node.label : name.replaceAll('_', ' '), ['implementation', 'conditions', name],
                        {min: 0, max: 1, step: 0.05}));
    }
    form.append(box);
  }

  const ramp = element('fieldset', {});
  ramp.append(element('legend', {}, 'Ramp and cut risk'));
  if (implementation.ramp) {
    ramp.append(slider('Years to half the target', ['implementation', 'ramp', 'years_to_half'], {min: 0.5, max: 8, step: 0.25}));
    ramp.append(slider('Years to 90% of it', ['implementation', 'ramp', 'years_to_90'], {min: 1, max: 12, step: 0.25}));
  }
  if (implementation.program_cut) {
    ramp.append(slider('Annual cut probability', ['implementation', 'program_cut', 'annual_probability'],
                       {min: 0, max: 0.5, step: 0.01}, (v) => Math.round(v * 100) + '%'));
    if (implementation.program_cut.protected_years !== undefined)
      ramp.append(number_box('Protected years', ['implementation', 'program_cut', 'protected_years'], {min: 0, max: 30, step: 1}));
  }
  form.append(ramp);

  const waves = implementation.waves || [];
  waves.forEach((wave, index) => form.append(wave_fieldset(wave, index, waves.length)));
  const add = element('button', {type: 'button', id: 'add-wave'}, 'Add a wave');
  add.addEventListener('click', () => {
    const last = waves[waves.length - 1];
    const wave = structuredClone(last);
    wave.name = 'wave ' + (waves.length + 1);
    wave.start_year = last.start_year + 2;
    waves.push(wave);
    build_controls();
    changed();
  });
  form.append(add);
}

function fill_result_options() {
  const variant = $('variant');
  const chosen = variant.value || 'base';
  variant.replaceChildren();
  for (const name of ['base', ...Object.keys(state.doc.variants || {})]) {
    variant.append(element('option', {value: name}, name));
  }
  variant.value = [...variant.options].some((o) => o.value === chosen) ? chosen : 'base';

  const outcome = $('outcome');
  const outcomes = (state.doc.report && state.doc.report.outcomes) || [];
  const headline = state.graph && state.graph.headline;
  $('evidence').textContent = state.graph && state.graph.evidence
    ? `What these numbers rest on: ${state.graph.evidence}` : '';
  outcome.replaceChildren();
  for (const id of outcomes) {
    const node = state.graph && state.graph.model.nodes.find((n) => n.id === id);
    outcome.append(element('option', {value: id}, node ? node.label : id));
  }
  if (outcomes.includes(headline)) outcome.value = headline;
}

// ---- running ----------------------------------------------------------------------------------

function plan_changed() {
  state.generation += 1;
  state.bands = null;
  cancel_refinement();
  run_central();
}

async function run_central() {
  if (state.central_busy) {
    state.central_again = true;  // one run at a time; the latest plan runs next
    return;
  }
  state.central_busy = true;
  const generation = state.generation;
  const started = performance.now();
  try {
    const {body, response} = await post_document(run_path(0, $('variant').value));
    if (generation === state.generation) {
      state.central = body;
      state.central_ms = {round_trip: performance.now() - started, server: server_time(response)};
      show_diagnostics([]);
      render();
      schedule_refinement(generation);
    }
  } catch (error) {
    if (generation === state.generation) show_failure(error);
  } finally {
    state.central_busy = false;
    if (state.central_again) {
      state.central_again = false;
      run_central();
    }
  }
}

function server_time(response) {
  const timing = response.headers.get('Server-Timing') || '';
  const match = /dur=([0-9.]+)/.exec(timing);
  return match ? Number(match[1]) : null;
}

/// Once the plan rests: the Monte Carlo draws of the plan, then of every variant on the same draws, each
/// dropped as soon as the plan changes again.
function schedule_refinement(generation) {
  cancel_refinement();
  const token = 'bands-' + generation + '-' + Math.random().toString(36).slice(2);
  const controller = new AbortController();
  const timer = setTimeout(async () => {
    try {
      const {body} = await post_document(run_path(background_draws, $('variant').value, {token}), controller.signal);
      if (generation !== state.generation) return;
      state.bands = body;
      render();
      await run_variants(generation, controller.signal, token);
      if (generation === state.generation) state.background = null;
    } catch (error) {
      if (error.name !== 'AbortError' && generation === state.generation) set_status('refining failed: ' + error.message);
    }
  }, background_delay_ms);
  state.background = {controller, token, timer};
}

function cancel_refinement() {
  const running = state.background;
  if (!running) return;
  state.background = null;
  clearTimeout(running.timer);
  running.controller.abort();
  // The aborted fetch does not stop the server's run; this does.
  fetch('/api/cancel?' + new URLSearchParams({token: running.token}), {method: 'POST'}).catch(() => {});
}

/// Every variant of the edited plan over the same draws as the plan's bands: the table
/// `pathways run --all-variants` prints for the same document.
async function run_variants(generation, signal, token) {
  const names = ['base', ...Object.keys(state.doc.variants || {})];
  const results = [];
  for (const name of names) {
    const {body} = await post_document(run_path(background_draws, name, {token}), signal);
    results.push({name, run: body.runs[0]});
  }
  if (generation === state.generation) render_variants(results);
}

/// A variant is a plan unless the scenario calls it an assumption (a world the plan may meet).
function is_plan(name) {
  const variant = (state.doc.variants || {})[name];
  return !variant || variant.kind !== 'assumption';
}

// ---- showing results --------------------------------------------------------------------------

function rows_of(run, outcome, metric, course) {
  return run.rows.filter((r) => r.outcome === outcome && r.metric === metric && r.course === course);
}

function final_year(rows) {
  return rows.reduce((last, r) => Math.max(last, r.year), -Infinity);
}

/// The rows shown: the central run's at first, then, once the Monte Carlo run of the same plan is in,
/// its mean over the draws (the number `pathways run` prints for the same plan, course and draws) with
/// its 90% interval (`band`: {mean, p05, p95, prob_positive}).
function shown_rows(outcome, course, metric = 'effect') {
  const rows = rows_of(state.central.runs[0], outcome, metric, course);
  const bands = new Map();
  if (state.bands) {
    for (const r of rows_of(state.bands.runs[0], outcome, metric, course)) {
      // A cost per effect with no gain in any draw has no quantiles, only its share of draws (zero).
      if (r.p05 !== null || (metric === 'cost_per_tenth_sd' && r.prob_positive !== null))
        bands.set(r.year + '|' + r.subgroup, {mean: r.mean, p05: r.p05, p95: r.p95, prob_positive: r.prob_positive});
    }
  }
  return rows.map((r) => {
    const band = bands.get(r.year + '|' + r.subgroup) || null;
    return {...r, mean: band ? band.mean : r.mean, band};
  });
}

function set_status(extra) {
  const parts = [];
  if (state.central_ms) {
    const server = state.central_ms.server === null ? '' : ` (${Math.round(state.central_ms.server)} ms on the server)`;
    parts.push(`central run ${Math.round(state.central_ms.round_trip)} ms${server}`);
  }
  if (extra) parts.push(extra);
  else if (state.bands) parts.push(`90% intervals from ${state.bands.runs[0].draws} draws`);
  else if (state.background) parts.push(`refining: ${background_draws} draws…`);
  $('run-status').textContent = parts.join(' · ');
}

function render() {
  if (!state.central) return;
  const outcome = $('outcome').value;
  const course = $('course').value;
  const rows = shown_rows(outcome, course);
  const year = final_year(rows);
  const all = rows.find((r) => r.year === year && r.subgroup === 'all');
  const value = $('headline-value');
  value.textContent = all ? format_sd(all.mean) + ' SD' : '–';
  value.dataset.state = state.bands ? 'bands' : 'central';
  value.dataset.value = all && all.mean !== null ? String(all.mean) : '';
  $('headline-label').textContent = `Effect for all students in ${year}, ${$('outcome').selectedOptions[0].text}`;
  $('headline-band').textContent = all && all.band
    ? `mean of ${state.bands.runs[0].draws} draws; 90% interval ${format_sd(all.band.p05)} to ` +
      `${format_sd(all.band.p95)}; ${Math.round(all.band.prob_positive * 100)}% of draws above zero`
    : 'central run (every input at its centre, the program never cut); the mean over the draws follows';
  set_status();
  render_costs(outcome, course);
  draw_subgroups(rows.filter((r) => r.year === year));
  draw_trend(rows.filter((r) => r.subgroup === 'all').sort((a, b) => a.year - b.year));
}

/// An amount as the run's costs summary writes it in a narrow column: "48.5M", "1.28B", "2,021".
function format_money(amount) {
  if (amount === null || !Number.isFinite(amount)) return '–';
  const size = Math.abs(amount);
  if (size >= 1e9) return Number((amount / 1e9).toPrecision(3)) + 'B';
  if (size >= 1e6) return Number((amount / 1e6).toPrecision(3)) + 'M';
  return Math.round(amount).toLocaleString('en-US');
}

/// The final-year row of a metric for all students, with its Monte Carlo band once it is in.
function final_cost_row(outcome, course, metric) {
  const rows = shown_rows(outcome, course, metric).filter((r) => r.subgroup === 'all');
  const year = final_year(rows);
  return rows.find((r) => r.year === year) || null;
}

function show_cost(id, row, band_text) {
  const value = $(id + '-value');
  value.textContent = !row ? '–' : row.suppressed ? 'withheld' : row.mean === null ? 'no gain' : format_money(row.mean);
  value.dataset.value = row && row.mean !== null ? String(row.mean) : '';
  $(id + '-band').textContent = row && row.band ? band_text(row.band) : '';
}

/// Cost per student for 0.1 SD as cost-effectiveness studies compute it: the expected cost per student
/// of the district over the expected effect for all students, over every draw, those with a program
/// cut included (a ratio of means; never a mean of per-draw ratios over the draws with a gain).
function cost_per_student_per_tenth(total, effect, use_bands) {
  if (!total || !effect || total.suppressed || effect.suppressed || !(total.n_students > 0)) return null;
  const cost = use_bands && total.band ? total.band.mean : total.mean;
  const gain = use_bands && effect.band ? effect.band.mean : effect.mean;
  return {mean: gain > 0 ? cost / total.n_students / (gain / 0.1) : null};
}

/// What the plan costs: the central run's figures, and once the draws are in, the 90% interval of the
/// totals and the cost per student for 0.1 SD over every draw.
function render_costs(outcome, course) {
  const total = final_cost_row('', course, 'cost_total');
  $('costs').hidden = !total;
  if (!total) return;
  $('costs').dataset.state = state.bands ? 'bands' : 'central';
  $('cost-total-label').textContent = `Total cost to ${total.year}`;
  const interval = (band) => `90% interval ${format_money(band.p05)} to ${format_money(band.p95)}`;
  show_cost('cost-total', total, interval);
  show_cost('cost-per-student', final_cost_row('', course, 'cost_per_student'), interval);
  const effect = final_cost_row(outcome, course, 'effect');
  const per_tenth = cost_per_student_per_tenth(total, effect, !!state.bands);
  if (per_tenth && state.bands) per_tenth.band = {mean: per_tenth.mean};
  show_cost('cost-per-tenth-sd', per_tenth, () =>
    `expected cost per student over expected effect, every draw of ${state.bands.runs[0].draws} (cut risk included)`);
}

/// An error leaves no number of an earlier plan on screen: every figure it made stale is cleared.
function show_failure(error) {
  show_diagnostics(error.diagnostics.length ? error.diagnostics : [{text: error.message}]);
  state.central = null;
  state.bands = null;
  $('headline-value').textContent = '–';
  $('headline-value').dataset.state = 'invalid';
  $('headline-value').dataset.value = '';
  $('headline-band').textContent = '';
  $('costs').hidden = true;
  $('costs').dataset.state = 'invalid';
  for (const id of ['subgroup-chart', 'trend-chart', 'variants-table']) $(id).replaceChildren();
}

function show_diagnostics(list) {
  const box = $('diagnostics');
  box.hidden = list.length === 0;
  box.textContent = list.map((d) => d.text).join('\n');
}

/// A scale that always holds zero, padded to a round step, so no chart hides where "no change" is.
function scale_with_zero(values, width) {
  let low = Math.min(0, ...values);
  let high = Math.max(0, ...values);
  if (high - low < 1e-9) high = low + 0.01;
  const step = nice_step((high - low) / 5);
  low = Math.floor(low / step) * step;
  high = Math.ceil(high / step) * step;
  const to_x = (v) => ((v - low) / (high - low)) * width;
  const ticks = [];
  for (let t = low; t <= high + step / 2; t += step) ticks.push(Math.abs(t) < step / 1e6 ? 0 : t);
  return {to_x, ticks, step};
}

function nice_step(raw) {
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function tick_text(value, step) {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + (step / Math.pow(10, Math.floor(Math.log10(step))) === 2.5 ? 1 : 0));
  return format_sd(value, digits);
}

function subgroup_label(id) {
  return id === 'all' ? 'all students' : id.replaceAll('&', ' & ');
}

function draw_subgroups(rows) {
  const label_width = 170;
  const plot_width = 420;
  const row_height = 18;
  const shown = rows.filter((r) => !r.suppressed && r.mean !== null);
  const withheld = rows.filter((r) => r.suppressed || r.mean === null);
  const values = shown.flatMap((r) => (r.band ? [r.band.p05, r.band.p95, r.mean] : [r.mean]));
  const scale = scale_with_zero(values, plot_width);
  const height = 24 + row_height * (shown.length + withheld.length) + 24;
  const chart = svg_element('svg', {viewBox: `0 0 ${label_width + plot_width + 70} ${height}`, role: 'img',
                                    'aria-label': 'effect by subgroup'});
  const top = 20;
  for (const t of scale.ticks) {
    const x = label_width + scale.to_x(t);
    chart.append(svg_element('line', {class: t === 0 ? 'zero' : 'tick', x1: x, x2: x, y1: top - 4,
                                      y2: top + row_height * shown.length}));
    chart.append(svg_element('text', {x, y: top - 8, 'text-anchor': 'middle'}, tick_text(t, scale.step)));
  }
  shown.forEach((r, i) => {
    const y = top + i * row_height;
    const x0 = label_width + scale.to_x(0);
    const x1 = label_width + scale.to_x(r.mean);
    chart.append(svg_element('text', {x: label_width - 6, y: y + 12, 'text-anchor': 'end'}, subgroup_label(r.subgroup)));
    chart.append(svg_element('rect', {class: 'bar ' + (r.mean < 0 ? 'negative' : 'positive'), x: Math.min(x0, x1),
                                      y: y + 3, width: Math.max(1, Math.abs(x1 - x0)), height: row_height - 6}));
    if (r.band) {
      chart.append(svg_element('line', {class: 'interval', x1: label_width + scale.to_x(r.band.p05),
                                        x2: label_width + scale.to_x(r.band.p95), y1: y + row_height / 2, y2: y + row_height / 2}));
    }
    chart.append(svg_element('text', {x: label_width + plot_width + 6, y: y + 12, class: 'muted'}, format_sd(r.mean)));
  });
  withheld.forEach((r, i) => {
    const y = top + (shown.length + i) * row_height;
    chart.append(svg_element('text', {x: label_width - 6, y: y + 12, 'text-anchor': 'end'}, subgroup_label(r.subgroup)));
    chart.append(svg_element('text', {x: label_width + 6, y: y + 12, class: 'withheld'},
                             'withheld: fewer students than the scenario\'s minimum'));
  });
  chart.append(svg_element('text', {x: label_width + plot_width / 2, y: height - 6, 'text-anchor': 'middle', class: 'muted'},
                           'effect in standard deviations (SD) against business as usual; 0 = no change'));
  $('subgroup-chart').replaceChildren(chart);
}

function draw_trend(rows) {
  const width = 660;
  const height = 200;
  const left = 60;
  const top = 10;
  const plot_height = height - 40;
  const shown = rows.filter((r) => r.mean !== null);
  if (shown.length === 0) {
    $('trend-chart').replaceChildren();
    return;
  }
  const values = shown.flatMap((r) => (r.band ? [r.band.p05, r.band.p95, r.mean] : [r.mean]));
  const scale = scale_with_zero(values, plot_height);
  const to_y = (v) => top + plot_height - scale.to_x(v);
  const years = shown.map((r) => r.year);
  const first = Math.min(...years);
  const span = Math.max(1, Math.max(...years) - first);
  const to_x = (year) => left + ((year - first) / span) * (width - left - 20);
  const chart = svg_element('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'effect by year'});
  for (const t of scale.ticks) {
    chart.append(svg_element('line', {class: t === 0 ? 'zero' : 'tick', x1: left, x2: width - 20, y1: to_y(t), y2: to_y(t)}));
    chart.append(svg_element('text', {x: left - 6, y: to_y(t) + 4, 'text-anchor': 'end'}, tick_text(t, scale.step)));
  }
  if (shown.every((r) => r.band)) {
    const upper = shown.map((r) => `${to_x(r.year)},${to_y(r.band.p95)}`);
    const lower = shown.slice().reverse().map((r) => `${to_x(r.year)},${to_y(r.band.p05)}`);
    chart.append(svg_element('polygon', {class: 'band', points: [...upper, ...lower].join(' ')}));
  }
  chart.append(svg_element('polyline', {class: 'line', points: shown.map((r) => `${to_x(r.year)},${to_y(r.mean)}`).join(' ')}));
  for (const year of years) {
    chart.append(svg_element('text', {x: to_x(year), y: height - 12, 'text-anchor': 'middle'}, String(year)));
  }
  $('trend-chart').replaceChildren(chart);
}

function render_variants(results) {
  const outcome = $('outcome').value;
  const course = $('course').value;
  const subgroups = ['all', ...((state.doc.report && state.doc.report.subgroups) || []).filter((s) => s.startsWith('pl:'))];
  const table = element('table', {class: 'variants'});
  const head = element('tr', {});
  head.append(element('th', {}, 'Variant'));
  for (const s of subgroups) head.append(element('th', {}, subgroup_label(s)));
  table.append(head);
  // The best plan as the terminal names it: the largest mean for all students among plans.
  let best = null;
  let best_mean = -Infinity;
  for (const {name, run} of results) {
    const rows = rows_of(run, outcome, 'effect', course);
    const all = rows.find((r) => r.year === final_year(rows) && r.subgroup === 'all');
    if (is_plan(name) && all && !all.suppressed && all.mean > best_mean) {
      best = name;
      best_mean = all.mean;
    }
  }
  for (const {name, run} of results) {
    const rows = rows_of(run, outcome, 'effect', course);
    const year = final_year(rows);
    const classes = [name === $('variant').value ? 'current' : '', name === best ? 'best' : ''].filter(Boolean);
    const tr = element('tr', {class: classes.join(' '), 'data-variant': name});
    tr.append(element('td', {}, (is_plan(name) ? '' : 'if ') + name + (name === best ? ' (best plan)' : '')));
    for (const s of subgroups) {
      const row = rows.find((r) => r.year === year && r.subgroup === s);
      const cell = element('td', {}, row && !row.suppressed ? format_sd(row.mean) : 'withheld');
      if (row && !row.suppressed && row.mean !== null) cell.dataset.value = String(row.mean);
      tr.append(cell);
    }
    table.append(tr);
  }
  $('variants-table').replaceChildren(table);
}

// ---- the theory-of-change diagram -------------------------------------------------------------

function draw_diagram() {
  if (!state.graph) return;
  const {model, causal_order} = state.graph;
  const column_width = 190;
  const node_width = 160;
  const node_height = 22;
  const gap = 6;
  const columns = causal_order.filter((kind) => model.nodes.some((n) => n.kind === kind));
  const place = new Map();
  let tallest = 0;
  columns.forEach((kind, c) => {
    const nodes = model.nodes.filter((n) => n.kind === kind);
    nodes.forEach((n, i) => place.set(n.id, {x: 10 + c * column_width, y: 30 + i * (node_height + gap), node: n}));
    tallest = Math.max(tallest, nodes.length);
  });
  const width = 20 + columns.length * column_width;
  const height = 40 + tallest * (node_height + gap);
  const chart = svg_element('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
                                    'aria-label': 'theory of change'});
  columns.forEach((kind, c) => {
    chart.append(svg_element('text', {class: 'column-title', x: 10 + c * column_width, y: 16}, kind.replaceAll('_', ' ')));
  });
  const set_by_plan = new Set(['condition', 'foundational_practice', 'secondary_driver']);
  for (const edge of model.edges) {
    const from = place.get(edge.from);
    const to = place.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + node_width;
    const y1 = from.y + node_height / 2;
    const x2 = to.x;
    const y2 = to.y + node_height / 2;
    const bend = Math.max(30, (x2 - x1) / 2);
    const path = svg_element('path', {class: `edge ${edge.role}${edge.weight < 0 ? ' negative' : ''}`,
                                      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`});
    path.append(svg_element('title', {}, `${edge.from} → ${edge.to}: ${edge.weight} SD per unit (${edge.evidence})`));
    chart.append(path);
  }
  for (const {x, y, node} of place.values()) {
    const group = svg_element('g', {class: 'node' + (set_by_plan.has(node.kind) ? ' set-by-plan' : '')});
    group.append(svg_element('title', {}, `${node.label} (${node.id})${node.description ? ': ' + node.description : ''}`));
    group.append(svg_element('rect', {x, y, width: node_width, height: node_height, rx: 4}));
    const label = node.label.length > 26 ? node.label.slice(0, 25) + '…' : node.label;
    group.append(svg_element('text', {x: x + 6, y: y + 15}, label));
    chart.append(group);
  }
  $('diagram').replaceChildren(chart);
}

// ---- files ------------------------------------------------------------------------------------

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = element('a', {href: url, download: name});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function save_scenario() {
  download(state.file_name, 'application/json', JSON.stringify(state.doc, null, 2) + '\n');
}

async function download_csv() {
  try {
    const draws = state.bands ? background_draws : 0;
    const query = new URLSearchParams({draws: String(draws), variant: $('variant').value, format: 'csv'});
    const {body} = await post_document('/api/run?' + query.toString());
    download(state.file_name.replace(/\.json$/, '') + '-projection.csv', 'text/csv', body);
  } catch (error) {
    show_failure(error);
  }
}

async function download_report() {
  try {
    const draws = state.bands ? background_draws : 0;
    const query = new URLSearchParams({draws: String(draws), variant: $('variant').value, format: 'html'});
    const {body} = await post_document('/api/run?' + query.toString());
    download(state.file_name.replace(/\.json$/, '') + '-report.html', 'text/html', body);
  } catch (error) {
    show_failure(error);
  }
}

function load_document(text, name) {
  state.original = text;
  state.doc = JSON.parse(text);
  state.file_name = name;
  $('scenario-title').textContent = `${state.doc.name || name} — ${name}`;
  fill_result_options();
  build_controls();
  plan_changed();
}

function open_file(event) {
  const file = event.target.files[0];
  if (!file) return;
  file.text().then((text) => {
    try {
      load_document(text, file.name);
    } catch (error) {
      show_diagnostics([{text: `${file.name}: not a JSON document: ${error.message}`}]);
    }
  });
}

async function start() {
  $('open-file').addEventListener('change', open_file);
  $('save-scenario').addEventListener('click', save_scenario);
  $('download-csv').addEventListener('click', download_csv);
  $('download-report').addEventListener('click', download_report);
  $('reset-plan').addEventListener('click', () => load_document(state.original, state.file_name));
  $('variant').addEventListener('change', plan_changed);
  $('outcome').addEventListener('change', plan_changed);
  $('course').addEventListener('change', plan_changed);
  try {
    state.models = (await call('/api/plugins')).body.models;
  } catch (error) {
    show_diagnostics([{text: 'effect models: ' + error.message}]);
  }
  try {
    const scenario = await fetch('/api/scenario');
    if (scenario.status === 404) {
      $('scenario-title').textContent = 'No scenario served: open a scenario file.';
      return;
    }
    const text = await scenario.text();
    const name = decodeURIComponent(scenario.headers.get('X-Scenario-File') || 'scenario.json');
    try {
      state.graph = (await call('/api/graph')).body;
      draw_diagram();
    } catch (error) {
      show_diagnostics(error.diagnostics.length ? error.diagnostics : [{text: error.message}]);
    }
    load_document(text, name);
  } catch (error) {
    show_diagnostics([{text: error.message}]);
  }
}

document.addEventListener('DOMContentLoaded', start);
