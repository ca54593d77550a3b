#!/usr/bin/env python3
"""The production replay's data and verdict (scripts/simulate-production.sh runs both; docs/production-replay.md).

    python3 scripts/simulate_production.py generate SOURCE --out DIR --label COLUMN [options]
    python3 scripts/simulate_production.py report --work DIR --facts FACTS.jsonl --runs RUNS.tsv [options]

generate splits a delimited text file of a data set into the replay's files under DIR:
  train.csv                  the initial training rows, an id column first (t000001, ...), labels kept;
  landing/batches/           empty: the replay moves batch NN in before its loop;
  batches/batch-NN.csv       N batches of --batch-rows rows (bNN-000001, ...), the label field left blank;
  labels/labels-NN.csv       id and label of batch NN, moved into landing/labels/ --label-delay loops later;
  truth.json                 per batch: rows, drifted rows, labelled rows available when its loop runs.
Rows are drawn without replacement: a seeded shuffle, the first --train-rows for training, the next ones for the
batches in order. From batch --drift-at on the world drifts: --shift is added to the numeric --shift-column, and the
rows whose --relabel-column (as the batch holds it) is above its median in the training rows get --relabel-class with
probability --relabel-rate (classification) or their target times --relabel-scale (regression). The labels files of
those batches hold the drifted labels: they are the truth of the drifted world. Every draw is random.Random(seed)
.random(), so a seed gives the same bytes on every Python 3.

report reads the replay's SQL facts and loop records, checks them against truth.json, prints the timeline as a
markdown table and writes DIR/timeline.md and DIR/timeline.svg; exit 1 when a check fails. Standard library only.
"""
import argparse
import csv
import io
import json
import math
import os
import random
import statistics
import sys
from datetime import datetime


def shuffled(rng, items):
    """Fisher-Yates on random() alone: random.shuffle's index draws are not promised stable across releases."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = min(int(rng.random() * (i + 1)), i)
        items[i], items[j] = items[j], items[i]
    return items


class Format:
    """Splits and joins lines as the data set's file does: csv quoting for a one-character delimiter, else a plain
    split on the delimiter (", " in Adult)."""

    def __init__(self, delimiter, quote):
        self.delimiter = delimiter
        self.quote = quote

    def split(self, line):
        if len(self.delimiter) == 1 and self.quote:
            return next(csv.reader([line], delimiter=self.delimiter, quotechar=self.quote))
        return line.split(self.delimiter)

    def join(self, fields):
        if len(self.delimiter) == 1 and self.quote:
            out = io.StringIO()
            csv.writer(out, delimiter=self.delimiter, quotechar=self.quote, lineterminator="").writerow(fields)
            return out.getvalue()
        return self.delimiter.join(fields)


def value_of(text, nulls):
    """The field as a number, or None (a null token or not numeric)."""
    return None if text.strip() in nulls else number(text)


def number(text):
    """The field as a number, or None (not numeric)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def same_kind(original, value):
    """value written as the original was: a whole number stays one."""
    text = original.strip()
    if text.lstrip("+-").isdigit():
        return str(int(round(value)))
    return repr(round(value, 10))


def read_rows(args, fmt):
    """The header (or --columns) and the data rows of the source file, each a list of fields."""
    names = args.columns.split(",") if args.columns else None
    header = None
    rows = []
    with open(args.source, encoding="utf-8", newline="") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line.strip() or any(line.startswith(p) for p in args.comment_prefix):
                continue
            fields = fmt.split(line)
            if args.header and header is None:
                header = [f.strip() for f in fields]
                continue
            rows.append(fields)
    if args.header:
        if header is None:
            sys.exit(f"simulate: {args.source} has no header line")
        names = header
    if not names:
        sys.exit("simulate: the file has no header: name its columns with --columns a,b,c")
    kept = [r for r in rows if len(r) == len(names)]
    skipped = len(rows) - len(kept)
    return names, kept, skipped


def apply_settings(args):
    """Fills every format option not given on the command line from --settings (scripts/SettingsJson.java's JSON of
    the data set): delimiter, quote, header, null tokens, comment prefixes, columns, label, task, positive class."""
    if not args.settings:
        for name, fallback in (("delimiter", ","), ("quote", '"'), ("header", True)):
            if getattr(args, name) is None:
                setattr(args, name, fallback)
        return None
    with open(args.settings, encoding="utf-8") as handle:
        settings = json.load(handle)
    dataset = settings["dataset"]
    if dataset.get("format", "csv") != "csv":
        sys.exit(f"simulate: data set {dataset.get('name')} is {dataset.get('format')}: the replay writes csv only")
    csv_settings = dataset.get("csv", {})
    if args.delimiter is None:
        args.delimiter = csv_settings.get("delimiter", ",")
    if args.quote is None:
        args.quote = csv_settings.get("quote", '"')
    if args.header is None:
        args.header = bool(csv_settings.get("header", False))
    args.null_token = args.null_token or list(dataset.get("null-tokens", [""]))
    args.comment_prefix = args.comment_prefix or list(dataset.get("comment-prefixes", []))
    columns = dataset.get("columns", [])
    file_name = [c.get("source-name", c["name"]) for c in columns]
    if not args.columns and not args.header:
        args.columns = ",".join(file_name)
    labels = [c for c in columns if c.get("role") == "label"]
    if not args.label:
        if not labels:
            sys.exit("simulate: the data set declares no label column")
        args.label = labels[0].get("source-name", labels[0]["name"])
    if not args.task:
        args.task = dataset.get("task", "binary")
    if not args.positive_class:
        args.positive_class = dataset.get("label", {}).get("positive-class", "")
    classes = dataset.get("label", {}).get("classes", [])
    if args.task == "multiclass" and not args.relabel_class and classes:
        args.relabel_class = classes[0]
    dropped = set(settings.get("features", {}).get("drop", []))
    args.numeric_candidates = [c.get("source-name", c["name"]) for c in columns
                               if c.get("role") == "numeric" and c["name"] not in dropped]
    return settings


def pearson(pairs):
    """The correlation of (x, y) pairs; 0 when either is constant."""
    if len(pairs) < 3:
        return 0.0
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0


def pick_drift_columns(args, names, train, label, nulls):
    """Without --shift-column or --relabel-column: the numeric feature most correlated with the target (with the
    positive or relabel class, for classification) is relabelled on, and the first other numeric feature shifted by
    --shift-sd of its training standard deviation."""
    stripped = [n.strip() for n in names]
    candidates = [c for c in getattr(args, "numeric_candidates", []) if c in stripped and c != stripped[label]]
    target_class = args.relabel_class or args.positive_class

    def target(fields):
        if args.task == "regression":
            return value_of(fields[label], nulls)
        return 1.0 if fields[label].strip().rstrip(".") == target_class else 0.0

    if not args.relabel_column and candidates:
        scored = []
        for c in candidates:
            at = stripped.index(c)
            pairs = [(value_of(r[at], nulls), target(r)) for r in train]
            scored.append((abs(pearson([(x, y) for x, y in pairs if x is not None and y is not None])), c))
        args.relabel_column = max(scored)[1]
    if not args.shift_column:
        others = [c for c in candidates if c != args.relabel_column]
        if others:
            args.shift_column = others[0]
    if args.shift is None and args.shift_column:
        at = stripped.index(args.shift_column)
        values = [v for v in (value_of(r[at], nulls) for r in train) if v is not None]
        args.shift = args.shift_sd * statistics.pstdev(values) if len(values) > 1 else 0.0


def derived_conf(args, settings, names):
    """The replay's data-set file: the original's settings (included), an id column first, the generated training
    file as the one source, the landing folder, the header as generated, and a hashed split."""
    dataset = settings["dataset"]
    columns = [{"name": args.id_column, "role": "id", "type": "string", "nullable": False}] + dataset["columns"]
    out = os.path.abspath(args.out)
    original = os.path.abspath(args.dataset_file)
    text = f"""# The production replay's data set (scripts/simulate-production.sh): {original}
# with an id column first (the generator's row ids), the generated training rows as the only source, a landing folder
# and a hashed split (the original's source-based test split has no source here).
include file({json.dumps(original)})
sluice.dataset {{
  columns = {json.dumps(columns)}
  # null first: the original's sources are replaced, not merged with.
  sources = null
  sources {{ train = [{json.dumps(os.path.join(out, "train.csv"))}] }}
  landing = {json.dumps(os.path.join(out, "landing"))}
  csv.header = {"true" if args.header else "false"}
  labels.id-column = {json.dumps(args.id_column)}
}}
# Every row hashed into a split; the shares are set here as the original's may hold no test rows.
sluice.features.split {{ method = hash, train = 0.7, validation = 0.15, test = 0.15 }}
"""
    with open(args.conf_out, "w", encoding="utf-8") as handle:
        handle.write(text)


def generate(args):
    settings = apply_settings(args)
    fmt = Format(args.delimiter, args.quote)
    names, rows, skipped = read_rows(args, fmt)
    stripped = [n.strip() for n in names]

    def column(name, option):
        if name is None:
            return None
        if name not in stripped:
            sys.exit(f"simulate: {option} {name} is not a column of {args.source} (columns: {', '.join(stripped)})")
        return stripped.index(name)

    label = column(args.label, "--label")
    taken = {n.lower() for n in stripped}
    if settings is not None:
        taken |= {c["name"].lower() for c in settings["dataset"].get("columns", [])}
    if args.id_column is None:
        # Spark matches column names without regard to case: "Id" would clash with "id".
        args.id_column = next(c for c in ("id", "replay_id", "replay_row_id") if c not in taken)
    elif args.id_column.lower() in taken:
        sys.exit(f"simulate: the data set has a column named {args.id_column}: pick another --id-column")
    classification = args.task != "regression"
    relabel_class = args.relabel_class or args.positive_class
    needed = args.train_rows + args.batches * args.batch_rows
    if needed > len(rows):
        sys.exit(f"simulate: {args.train_rows} training rows and {args.batches} batches of {args.batch_rows} need "
                 f"{needed} rows; {args.source} has {len(rows)}")

    rng = random.Random(args.seed)
    order = shuffled(rng, range(len(rows)))
    train = [rows[i] for i in order[:args.train_rows]]
    nulls = set(args.null_token)
    pick_drift_columns(args, names, train, label, nulls)
    shift_at = column(args.shift_column, "--shift-column")
    relabel_at = column(args.relabel_column, "--relabel-column")
    if classification and relabel_at is not None and not relabel_class:
        sys.exit("simulate: a classification drift needs --relabel-class (or --positive-class)")
    if args.shift is None:
        args.shift = 0.0
    median = None
    if relabel_at is not None:
        values = [value_of(r[relabel_at], nulls) for r in train]
        values = [v for v in values if v is not None]
        if not values:
            sys.exit(f"simulate: --relabel-column {args.relabel_column} has no numeric value in the training rows")
        median = statistics.median(values)

    out = args.out
    for folder in ("landing/batches", "landing/labels", "batches", "labels"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    header_line = fmt.join([args.id_column] + names) if args.header else None
    labels_header = fmt.join([args.id_column, names[label]]) if args.header else None

    def write(path, lines, header):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            if header is not None:
                handle.write(header + "\n")
            for line in lines:
                handle.write(line + "\n")

    write(os.path.join(out, "train.csv"),
          (fmt.join([f"t{i + 1:06d}"] + r) for i, r in enumerate(train)), header_line)

    width = max(2, len(str(args.batches)))
    batches = []
    available = 0
    rows_by_batch = []
    for b in range(1, args.batches + 1):
        start = args.train_rows + (b - 1) * args.batch_rows
        chosen = [list(rows[i]) for i in order[start:start + args.batch_rows]]
        drifting = b >= args.drift_at
        shifted = relabelled = drifted = 0
        data_lines, label_lines = [], []
        for n, fields in enumerate(chosen):
            row_id = f"b{b:0{width}d}-{n + 1:06d}"
            changed = False
            # One draw per row, drifting or not, so a batch's draws never depend on another batch's rows.
            draw = rng.random()
            if drifting and shift_at is not None and args.shift:
                value = value_of(fields[shift_at], nulls)
                if value is not None:
                    fields[shift_at] = same_kind(fields[shift_at], value + args.shift)
                    shifted += 1
                    changed = True
            if drifting and relabel_at is not None:
                value = value_of(fields[relabel_at], nulls)
                if value is not None and value > median:
                    if classification and draw < args.relabel_rate:
                        if fields[label].strip() != relabel_class:
                            relabelled += 1
                            changed = True
                        fields[label] = relabel_class
                    elif not classification:
                        target = value_of(fields[label], nulls)
                        if target is not None and args.relabel_scale != 1.0:
                            fields[label] = same_kind(fields[label], target * args.relabel_scale)
                            relabelled += 1
                            changed = True
            drifted += changed
            label_lines.append(fmt.join([row_id, fields[label].strip()]))
            blank = list(fields)
            blank[label] = ""
            data_lines.append(fmt.join([row_id] + blank))
        name = f"{b:0{width}d}"
        write(os.path.join(out, "batches", f"batch-{name}.csv"), data_lines, header_line)
        write(os.path.join(out, "labels", f"labels-{name}.csv"), label_lines, labels_header)
        rows_by_batch.append(len(chosen))
        # The labels that have arrived when batch b's loop runs: those of batches <= b - delay.
        available = sum(rows_by_batch[:max(0, b - args.label_delay)])
        batches.append({
            "batch": b,
            "file": f"batch-{name}.csv",
            "labels_file": f"labels-{name}.csv",
            "rows": len(chosen),
            "drifted": drifting,
            "shifted_rows": shifted,
            "relabelled_rows": relabelled,
            "drifted_rows": drifted,
            "labels_arrive_at_batch": b + args.label_delay,
            "labelled_rows_available": available,
        })
    truth = {
        "source": args.source,
        "seed": args.seed,
        "train_rows": len(train),
        "source_rows": len(rows),
        "skipped_source_lines": skipped,
        "label": names[label].strip(),
        "id_column": args.id_column,
        "task": args.task,
        "drift_at": args.drift_at,
        "label_delay": args.label_delay,
        "shift": {"column": args.shift_column, "amount": args.shift},
        "relabel": {"column": args.relabel_column, "median": median, "class": relabel_class if classification else None,
                    "rate": args.relabel_rate if classification else None,
                    "scale": None if classification else args.relabel_scale},
        "batches": batches,
    }
    if args.conf_out:
        if settings is None or not args.dataset_file:
            sys.exit("simulate: --conf-out needs --settings and --dataset-file")
        derived_conf(args, settings, names)
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as handle:
        json.dump(truth, handle, indent=2)
        handle.write("\n")
    print(f"simulate: {len(train)} training rows and {args.batches} batches of {args.batch_rows} rows from "
          f"{len(rows)} rows of {args.source} into {out}; drift from batch {args.drift_at}: "
          f"{sum(b['drifted_rows'] for b in batches)} rows changed ({args.shift_column} + {args.shift:g}; "
          f"{args.relabel_column} above {median:g}: "
          + (f"{relabel_class} with probability {args.relabel_rate:g})" if classification
             else f"target x {args.relabel_scale:g})"))


# ---------------------------------------------------------------------------------------------------------------
# report


def parse_time(text):
    """A timestamp as Spark's JSON writes it (2026-12-07T12:13:15.521Z, or with an offset), in epoch seconds."""
    text = text.replace("Z", "+00:00")
    if "." in text:
        head, rest = text.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{(digits + '000000')[:6]}{zone}"
    return datetime.fromisoformat(text).timestamp()


def load_facts(path):
    """The SQL facts: one JSON line per row, its query named in q."""
    facts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("{"):
                row = json.loads(line)
                facts.setdefault(row.get("q"), []).append(row)
    return facts


def load_runs(path):
    """The loop records: step (0 = the first pipeline, 1..N batches, N+1 the extra loop), exit code, start and end
    (epoch seconds), seconds, the decision the loop printed."""
    runs = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6 or not parts[0].isdigit():
                continue
            runs.append({"step": int(parts[0]), "exit": int(parts[1]), "start": float(parts[2]),
                         "end": float(parts[3]), "seconds": int(parts[4]), "decision": parts[5]})
    return runs


def step_at(runs, when):
    """The step whose run held the instant when (jobs run inside their step's loop)."""
    for run in runs:
        if run["start"] - 1 <= when <= run["end"] + 1:
            return run["step"]
    return None


def champion_at(changes, when):
    """The champion per alias_log at when: the latest change at or before it."""
    version = None
    for change in changes:
        if change["at"] <= when:
            version = change["version"]
    return version


def svg_chart(rows, metric, larger_is_better, promotions, drift_at, path):
    """Metric per batch (a line), drifted-feature count per batch (bars), promotions (vertical lines)."""
    width, height = 760, 360
    left, right, top, bottom = 70, 60, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(rows)
    step = plot_w / max(n, 1)

    def x(batch):
        return left + (batch - 0.5) * step

    values = [r["metric"] for r in rows if r["metric"] is not None]
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    else:
        low, high = 0.0, 1.0
    max_drift = max([r["drifted_features"] for r in rows] + [1])

    def y_metric(v):
        return top + plot_h - (v - low) / (high - low) * plot_h

    def y_count(c):
        return top + plot_h - c / max_drift * plot_h * 0.6

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    if drift_at <= n:
        out.append(f'<rect x="{x(drift_at) - step / 2:.1f}" y="{top}" width="{(n - drift_at + 1) * step:.1f}" '
                   f'height="{plot_h}" fill="#fdf2e4"/>')
        out.append(f'<text x="{x(drift_at) - step / 2 + 4:.1f}" y="{top + 14}" fill="#b26b00">drift from batch '
                   f'{drift_at}</text>')
    for r in rows:
        if r["drifted_features"]:
            h = top + plot_h - y_count(r["drifted_features"])
            out.append(f'<rect x="{x(r["batch"]) - step * 0.3:.1f}" y="{y_count(r["drifted_features"]):.1f}" '
                       f'width="{step * 0.6:.1f}" height="{h:.1f}" fill="#f4b183"/>')
    for i in range(5):
        v = low + (high - low) * i / 4
        yy = y_metric(v)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{v:.4g}</text>')
    for c in range(0, max_drift + 1, max(1, math.ceil(max_drift / 4))):
        yy = y_count(c)
        out.append(f'<text x="{left + plot_w + 6}" y="{yy + 4:.1f}" fill="#c55a11">{c}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="black"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="black"/>')
    for r in rows:
        out.append(f'<text x="{x(r["batch"]):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{r["batch"]}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 22}" text-anchor="middle">batch</text>')
    direction = "higher is better" if larger_is_better else "lower is better"
    out.append(f'<text x="14" y="{top + plot_h / 2:.1f}" transform="rotate(-90 14 {top + plot_h / 2:.1f})" '
               f'text-anchor="middle" fill="#2f5597">{metric} on the batch\'s labels ({direction})</text>')
    out.append(f'<text x="{width - 12}" y="{top + plot_h / 2:.1f}" '
               f'transform="rotate(90 {width - 12} {top + plot_h / 2:.1f})" text-anchor="middle" '
               f'fill="#c55a11">features drifted</text>')
    for batch, version in promotions:
        xx = x(batch) + step / 2
        out.append(f'<line x1="{xx:.1f}" y1="{top}" x2="{xx:.1f}" y2="{top + plot_h}" stroke="#548235" '
                   f'stroke-width="2" stroke-dasharray="5,3"/>')
        out.append(f'<text x="{xx + 3:.1f}" y="{top + 28}" fill="#548235">v{version}</text>')
    points = [(x(r["batch"]), y_metric(r["metric"])) for r in rows if r["metric"] is not None]
    if points:
        out.append('<polyline fill="none" stroke="#2f5597" stroke-width="2" points="'
                   + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + '"/>')
        for px, py in points:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#2f5597"/>')
    out.append(f'<text x="{left}" y="20" font-size="14">Production replay: {metric} per batch (line), features '
               f'drifted (bars), promotions (dashed)</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out) + "\n")


def report(args):
    with open(os.path.join(args.work, "truth.json"), encoding="utf-8") as handle:
        truth = json.load(handle)
    facts = load_facts(args.facts)
    runs = load_runs(args.runs)
    batches = truth["batches"]
    n = len(batches)
    failures = []

    def check(ok, message):
        if not ok:
            failures.append(message)
        return ok

    by_step = {r["step"]: r for r in runs}
    check(all(s in by_step for s in range(0, n + 2)),
          f"the replay records a run for the pipeline, each of the {n} batches and the extra loop; it has steps "
          f"{sorted(by_step)}")

    # Batches: ingested once each, with every row.
    raw = facts.get("raw", [])
    by_file = {}
    for row in raw:
        by_file.setdefault(os.path.basename(row["source_file"]), []).append(row)
    batch_ids = {}
    for b in batches:
        found = by_file.get(b["file"], [])
        if check(len(found) == 1, f"batch {b['batch']} ({b['file']}) was ingested {len(found)} times, not once"):
            batch_ids[b["batch"]] = found[0]["batch_id"]
            check(found[0]["rows"] == b["rows"],
                  f"batch {b['batch']}: {found[0]['rows']} rows in the raw table, {b['rows']} in the file")
    check(len(raw) == n, f"{len(raw)} landing batches in the raw table, {n} expected")
    labels_rows = sum(row["rows"] for row in facts.get("labels", []))
    expected_labels = sum(b["rows"] for b in batches if b["batch"] + truth["label_delay"] <= n)
    check(labels_rows == expected_labels,
          f"{labels_rows} labels in the labels table, {expected_labels} expected (the batches up to "
          f"{n - truth['label_delay']})")

    # Scoring: each batch by exactly one scoring run, every row once.
    scored = {row["batch_id"]: row for row in facts.get("scored", [])}
    window_of = {}
    for b in batches:
        batch_id = batch_ids.get(b["batch"])
        row = scored.get(batch_id)
        if check(row is not None, f"batch {b['batch']} was never scored"):
            check(row["runs"] == 1, f"batch {b['batch']} was scored by {row['runs']} scoring runs, not one")
            check(row["rows"] == b["rows"] and row["distinct_rows"] == b["rows"],
                  f"batch {b['batch']}: {row['rows']} predictions of {row['distinct_rows']} rows, "
                  f"{b['rows']} expected")
            window_of[b["batch"]] = row["scoring_run_id"]

    # The champion over time, and the promotions behind it.
    changes = sorted(({"at": parse_time(r["changed_at"]), "version": r["version"],
                       "previous": r.get("previous_version"), "run_id": r["run_id"]}
                      for r in facts.get("alias", [])), key=lambda c: c["at"])
    promoted = {(r["challenger_version"], r["run_id"]) for r in facts.get("promotion", [])
                if r["verdict"] == "PROMOTED"}
    for change in changes:
        check((change["version"], change["run_id"]) in promoted,
              f"the champion moved to v{change['version']} (run {change['run_id']}) without a PROMOTED row in "
              f"promotion_log")
    for row in facts.get("windows", []):
        at = parse_time(row["scored_at"])
        champion = champion_at(changes, at)
        check(champion == row["model_version"],
              f"scoring run {row['scoring_run_id']} used v{row['model_version']} at {row['scored_at']}, when the "
              f"champion was v{champion}")

    # Reproducibility.
    for row in sorted(facts.get("reproduce", []), key=lambda r: r["version"]):
        check(row["status"] == "MATCH",
              f"a reproduction of v{row['version']} is {row['status']}: largest difference "
              f"{row.get('max_abs_difference')}; {'; '.join(row.get('differences') or [])}")

    # Decisions: the first enabled RETRAIN after the drift persisted, with the new labels there.
    k = args.drift_k
    first_allowed = truth["drift_at"] + k - 1
    retrains = sorted((r for r in facts.get("decisions", [])
                       if r["decision"] == "RETRAIN" and r["mode"] == "enabled"),
                      key=lambda r: parse_time(r["decided_at"]))
    first_retrain = None
    if retrains:
        first = retrains[0]
        first_retrain = step_at(runs, parse_time(first["decided_at"]))
        rules = {rule["name"]: rule for rule in first["rules"]}
        check(first_retrain is not None and first_retrain >= first_allowed,
              f"the first RETRAIN came at batch {first_retrain}, before batch {first_allowed} (drift from batch "
              f"{truth['drift_at']}, persistent after {k} windows)")
        new_rows = rules.get("new_rows", {}).get("value")
        check(new_rows is not None and new_rows >= args.min_new_rows,
              f"the first RETRAIN (batch {first_retrain}) had {new_rows} new labelled rows, fewer than "
              f"{args.min_new_rows}")
        check(rules.get("drift_persistence", {}).get("passed") is True,
              f"the first RETRAIN (batch {first_retrain}) was not for persistent drift: {first['reason']}")
    else:
        check(False, "no enabled RETRAIN decision: the drift never led to a retrain")

    # Features runs: the late labels each snapshot took equal the labels that had arrived.
    for row in facts.get("features", []):
        step = step_at(runs, parse_time(row["started_at"]))
        late = row.get("late_labelled_rows")
        if step is None:
            check(False, f"features run {row['run_id']} ran outside every recorded loop")
            continue
        expected = 0 if step == 0 else batches[min(step, n) - 1]["labelled_rows_available"]
        if row["status"] == "SUCCEEDED":
            check(late is not None and int(late) == expected,
                  f"features at batch {step} took {late} late-labelled rows; {expected} labels had arrived")

    # The extra loop: nothing new, no table grew.
    before = {r["table"]: r["commits"] for r in facts.get("versions_before", [])}
    after = {r["table"]: r["commits"] for r in facts.get("versions_after", [])}
    check(bool(before), "no table versions were recorded around the extra loop")
    for table in sorted(set(before) | set(after)):
        check(after.get(table) == before.get(table),
              f"the extra loop committed to {table}: {before.get(table)} commits before, {after.get(table)} after")
    extra = by_step.get(n + 1)
    check(extra is not None and extra["exit"] == 0,
          f"the extra loop exited {extra['exit'] if extra else 'never ran'}, not 0")

    # The timeline.
    metric = args.metric
    perf = {}
    for row in facts.get("performance", []):
        if row["metric"] == metric:
            best = perf.get(row["window_id"])
            if best is None or row["labelled_rows"] > best["labelled_rows"]:
                perf[row["window_id"]] = row
    drifted = {}
    for row in facts.get("drift", []):
        drifted.setdefault(row["window_id"], set()).add(row["feature"])
    rows = []
    promotions = []
    for b in batches:
        run = by_step.get(b["batch"], {})
        window = window_of.get(b["batch"])
        champion = champion_at(changes, run["end"]) if run else None
        before_champion = champion_at(changes, run["start"]) if run else None
        if run and champion != before_champion:
            promotions.append((b["batch"], champion))
        p = perf.get(window)
        rows.append({
            "batch": b["batch"],
            "exit": run.get("exit"),
            "decision": run.get("decision", "?"),
            "champion": champion,
            "metric": p["value"] if p else None,
            "labelled": p["labelled_rows"] if p else 0,
            "scored_by": p["model_version"] if p else None,
            "drifted_features": len(drifted.get(window, ())),
            "features": sorted(drifted.get(window, ())),
            "seconds": run.get("seconds"),
            "drift": b["drifted"],
        })
    lines = [f"| batch | drifted rows (relabelled) | loop exit | decision | champion after | {metric} on its labels "
             f"(rows, scored by) | features drifted | seconds |",
             "|---:|---:|---:|---|---|---|---|---:|"]
    for r, b in zip(rows, batches):
        if r["metric"] is not None:
            value = f"{r['metric']:.4f} ({r['labelled']}, v{r['scored_by']})"
        elif b["labels_arrive_at_batch"] > n:
            value = "labels after the replay"
        else:
            value = "not measured"
        feats = f"{r['drifted_features']}: {', '.join(r['features'])}" if r["features"] else "0"
        drift_rows = f"{b['drifted_rows']} ({b['relabelled_rows']})" if b["drifted"] else "0"
        lines.append(f"| {r['batch']} | {drift_rows} | {r['exit']} | {r['decision']} | v{r['champion']} | "
                     f"{value} | {feats} | {r['seconds']} |")
    quiet = [r["seconds"] for r in rows if r["exit"] == 0 and r["seconds"] is not None]
    median = statistics.median(quiet) if quiet else float("nan")
    table = "\n".join(lines)
    summary = [
        table,
        "",
        f"loop wall time per batch with nothing to retrain: median {median:.0f} s ({len(quiet)} of {n} batches)",
        f"first RETRAIN at batch {first_retrain}; promotions: "
        + (", ".join(f"v{v} at batch {b}" for b, v in promotions) or "none"),
        f"pipeline (champion v1): {by_step[0]['seconds']} s; extra loop with nothing new: "
        f"{extra['seconds'] if extra else '?'} s, exit {extra['exit'] if extra else '?'}" if 0 in by_step else "",
    ]
    text = "\n".join(summary).rstrip() + "\n"
    print(text, end="")
    with open(os.path.join(args.work, "timeline.md"), "w", encoding="utf-8") as handle:
        handle.write(text)
    svg_chart(rows, metric, args.larger_is_better == "true", promotions, truth["drift_at"],
              os.path.join(args.work, "timeline.svg"))
    if failures:
        print(f"\nsimulate: {len(failures)} check(s) failed:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print("simulate: every check passed: each batch ingested and scored once, the first retrain after the drift "
          "persisted with the new labels, late labels as generated, every champion promoted and scoring, every "
          "version reproduced, the extra loop added nothing")
    return 0


def main():
    parser = argparse.ArgumentParser(description="The production replay's data and verdict.")
    commands = parser.add_subparsers(dest="command", required=True)
    g = commands.add_parser("generate", help="write train.csv, the batches, the labels files and truth.json")
    g.add_argument("source")
    g.add_argument("--out", required=True)
    g.add_argument("--settings", help="the data set's settings as JSON (scripts/SettingsJson.java): the defaults of "
                   "every format option")
    g.add_argument("--dataset-file", help="the original data-set file, included by --conf-out")
    g.add_argument("--conf-out", help="write the replay's data-set file here")
    g.add_argument("--delimiter")
    g.add_argument("--quote")
    g.add_argument("--header", dest="header", action="store_true", default=None)
    g.add_argument("--no-header", dest="header", action="store_false")
    g.add_argument("--null-token", action="append", default=[],
                   help="a field read as null (repeatable); such a value is never shifted")
    g.add_argument("--comment-prefix", action="append", default=[])
    g.add_argument("--label")
    g.add_argument("--columns", default="", help="the column names in file order, when the file has no header")
    g.add_argument("--task", choices=["binary", "multiclass", "regression"])
    g.add_argument("--positive-class", default="")
    g.add_argument("--id-column", help="the row-id column put first (default: id, or replay_id when the data set "
                   "has a column named id)")
    g.add_argument("--train-rows", type=int, default=8000)
    g.add_argument("--batches", type=int, default=12)
    g.add_argument("--batch-rows", type=int, default=1000)
    g.add_argument("--drift-at", type=int, default=6)
    g.add_argument("--label-delay", type=int, default=2)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--shift-column")
    g.add_argument("--shift", type=float, help="added to --shift-column (default: --shift-sd standard deviations)")
    g.add_argument("--shift-sd", type=float, default=1.0)
    g.add_argument("--relabel-column")
    g.add_argument("--relabel-class", default="")
    g.add_argument("--relabel-rate", type=float, default=0.8)
    g.add_argument("--relabel-scale", type=float, default=1.3)
    r = commands.add_parser("report", help="check the replay's facts and write the timeline")
    r.add_argument("--work", required=True)
    r.add_argument("--facts", required=True)
    r.add_argument("--runs", required=True)
    r.add_argument("--metric", required=True)
    r.add_argument("--larger-is-better", choices=["true", "false"], default="true")
    r.add_argument("--drift-k", type=int, required=True)
    r.add_argument("--min-new-rows", type=int, required=True)
    args = parser.parse_args()
    if args.command == "generate":
        for name in ("batches", "batch_rows", "train_rows", "drift_at"):
            if getattr(args, name) < 1:
                parser.error(f"--{name.replace('_', '-')} must be at least 1")
        if args.label_delay < 0:
            parser.error("--label-delay must be 0 or more")
        if not 0.0 <= args.relabel_rate <= 1.0:
            parser.error("--relabel-rate must be in [0, 1]")
        if not args.settings and not (args.label and args.task):
            parser.error("give --label and --task, or --settings")
        generate(args)
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
