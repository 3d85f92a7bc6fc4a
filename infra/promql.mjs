// The PromQL the dashboard and the rules hold: which metrics an expression names, and the
// queries read out of the dashboard's JSON and the rules' YAML. Plain Node, no dependencies;
// used by check-queries.mjs.

// ---------------------------------------------------------------------------------------------
// PromQL: metric names used by an expression

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'start',
  'end',
]);
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const LABEL_LIST_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * Metric names and label matchers of one expression. A small scanner, not a parser: strings,
 * `{…}` matchers and `[…]` ranges are skipped, an identifier followed by `(` is a function or
 * aggregation (also before `by`/`without`), a keyword followed by `(` opens a label list, and
 * any other identifier is a
 * metric name. Unbalanced brackets are reported. promtool validates the rules for real.
 */
export function scanExpression(expr) {
  const metrics = new Set();
  const matchers = [];
  let i = 0;
  let depth = 0;
  const n = expr.length;
  const skipString = (start) => {
    const quote = expr[start];
    let j = start + 1;
    while (j < n && expr[j] !== quote) j += expr[j] === '\\' && quote !== '`' ? 2 : 1;
    if (j >= n) throw new Error('unterminated string');
    return j + 1;
  };
  while (i < n) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(i);
    } else if (c === '#') {
      while (i < n && expr[i] !== '\n') i++;
    } else if (c === '{') {
      const start = i + 1;
      while (i < n && expr[i] !== '}')
        i = expr[i] === '"' || expr[i] === "'" ? skipString(i) : i + 1;
      if (i >= n) throw new Error('unbalanced {');
      matchers.push(expr.slice(start, i));
      i++;
    } else if (c === '[') {
      while (i < n && expr[i] !== ']') i++;
      if (i >= n) throw new Error('unbalanced [');
      i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (--depth < 0) throw new Error('unbalanced )');
      i++;
    } else if (c === '}' || c === ']') {
      throw new Error(`unbalanced ${c}`);
    } else if (/[0-9.]/.test(c)) {
      while (
        i < n &&
        /[0-9a-zA-Z_.+]/.test(expr[i]) &&
        !(expr[i] === '+' && !/[eE]/.test(expr[i - 1]))
      )
        i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      let j = i;
      while (j < n && /[a-zA-Z0-9_:]/.test(expr[j])) j++;
      const word = expr.slice(i, j);
      let k = j;
      while (k < n && /\s/.test(expr[k])) k++;
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower) && expr[k] === '(') {
        const close = expr.indexOf(')', k);
        if (close < 0) throw new Error('unbalanced (');
        i = close + 1;
        continue;
      }
      // `sum by (le) (…)`: an aggregation whose modifier comes before its argument.
      const modifierNext = /^(by|without)\s*\(/i.test(expr.slice(k));
      const isAggregation = AGGREGATIONS.has(lower) && modifierNext;
      if (!KEYWORDS.has(lower) && !isAggregation && expr[k] !== '(') metrics.add(word);
      i = j;
    } else {
      i++;
    }
  }
  if (depth !== 0) throw new Error('unbalanced (');
  return { metrics: [...metrics], matchers };
}

/** Dashboard variables, as Grafana would fill them in for a query. */
export function interpolate(expr, rateInterval) {
  return expr
    .replaceAll('$__rate_interval', rateInterval)
    .replaceAll('${__rate_interval}', rateInterval)
    .replaceAll('$__interval', '15s')
    .replaceAll('${__interval}', '15s')
    .replaceAll('$__range', '1h');
}

// ---------------------------------------------------------------------------------------------
// Sources: dashboard JSON and rule YAML

export function dashboardQueries(text, file) {
  let dashboard;
  try {
    dashboard = JSON.parse(text);
  } catch (err) {
    return { queries: [], problems: [`${file}: not JSON: ${err.message}`] };
  }
  const queries = [];
  const problems = [];
  const visit = (panels) => {
    for (const panel of panels ?? []) {
      if (panel.type === 'row') {
        visit(panel.panels);
        continue;
      }
      const targets = (panel.targets ?? []).filter((t) => !t.hide);
      if (targets.length === 0) problems.push(`${file}: panel "${panel.title}" has no query`);
      for (const t of targets) {
        if (typeof t.expr !== 'string' || t.expr.trim() === '') {
          problems.push(`${file}: panel "${panel.title}" query ${t.refId} has no expr`);
          continue;
        }
        queries.push({ kind: 'panel', where: `panel "${panel.title}" ${t.refId}`, expr: t.expr });
      }
    }
  };
  visit(dashboard.panels);
  return { queries, problems };
}

/**
 * The rule files' alerts and recording rules, read with a line scanner that knows the subset
 * of YAML a rule file uses: `- alert:`/`- record:` items whose `expr` and annotations are plain
 * or quoted scalars or block scalars (| or >). Anything else under those keys is reported.
 */
export function parseRules(text, file) {
  const rules = [];
  const problems = [];
  const lines = text.split('\n');
  let rule = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const item = /^(\s*)-\s+(alert|record):\s*(.+?)\s*$/.exec(line);
    if (item) {
      rule = { kind: item[2], name: unquote(item[3]), expr: null, annotations: {}, line: i + 1 };
      rules.push(rule);
      continue;
    }
    if (!rule) continue;
    const kv = /^(\s*)(expr|summary|description|runbook_url):\s*(.*?)\s*$/.exec(line);
    if (!kv) continue;
    const [, indent, key, raw] = kv;
    let value;
    if (/^[|>][+-]?$/.test(raw)) {
      const block = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j];
        if (l.trim() === '') {
          block.push('');
          continue;
        }
        if (l.length - l.trimStart().length <= indent.length) break;
        block.push(l.trim());
      }
      i = j - 1;
      value = (
        raw.startsWith('|') ? block.join('\n') : block.join(' ').replace(/\s+/g, ' ')
      ).trim();
    } else if (raw === '') {
      problems.push(
        `${file}:${i + 1}: ${key} of ${rule.name} has a form this checker does not read`,
      );
      continue;
    } else {
      value = unquote(raw);
    }
    if (key === 'expr') rule.expr = value;
    else rule.annotations[key] = value;
  }
  for (const r of rules) if (!r.expr) problems.push(`${file}:${r.line}: ${r.name} has no expr`);
  return { rules, problems };
}

function unquote(s) {
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'"))
    return s.slice(1, -1).replaceAll("''", "'");
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return JSON.parse(s);
  return s;
}

/** GitHub-style anchors of a Markdown file's headings, plus explicit <a id="…"> anchors. */
export function markdownAnchors(text) {
  const anchors = new Set();
  for (const line of text.split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      anchors.add(
        h[1]
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}
