#!/usr/bin/env python3
# Generates saved pages of GET /v1/organization/usage/images for `imgcost reconcile`'s benchmark
# (docs/performance.md): DAYS days of hourly buckets from 2026-01-01 for KEYS API keys, one
# result per key and hour (gpt-image-2, image.generation, grouped by model, source, project and
# key), in pages of 168 buckets (the API's largest `limit` for 1h), chained by has_more and
# next_page; and the manifests that declare them (100 workflows a manifest, each attributed to
# one key). Python 3.11+, standard library only, deterministic.
#
#   python3 scripts/gen_usage.py OUT_DIR                    # a year, 1 000 keys (about 2 GB)
#   python3 scripts/gen_usage.py OUT_DIR --days 30 --keys 100
#   imgcost reconcile OUT_DIR/apps --usage OUT_DIR/usage --as-of 2026-12-01 --format json
#
# The run ends with one summary line on stderr.

import argparse
import sys
from pathlib import Path

START = 1_767_225_600  # 2026-01-01T00:00:00Z
HOUR = 3_600
PAGE_BUCKETS = 168
PER_MANIFEST = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--keys", type=int, default=1000)
    args = parser.parse_args()
    hours = args.days * 24
    usage = args.out / "usage"
    usage.mkdir(parents=True, exist_ok=True)
    for first in range(0, args.keys, PER_MANIFEST):
        folder = args.out / "apps" / f"team-{first // PER_MANIFEST:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = ["version: 1", f"project: team-{first // PER_MANIFEST:03d}", "owner: \"@bench\"",
                 "attribution: {openai_project: proj_bench}", "workflows:"]
        for key in range(first, min(first + PER_MANIFEST, args.keys)):
            lines += [f"  wf-{key:04d}:", "    model: gpt-image-2",
                      "    request: {size: 1024x1024, quality: low}",
                      f"    volume: {{requests_per_month: {1000 + key}}}",
                      "    budget: {monthly_usd: 100}",
                      f"    attribution: {{api_keys: [key_{key:04d}]}}"]
        (folder / "imgcost.yaml").write_text("\n".join(lines) + "\n")
    pages = (hours + PAGE_BUCKETS - 1) // PAGE_BUCKETS
    results = 0
    written = 0
    for page in range(pages):
        buckets = []
        for hour in range(page * PAGE_BUCKETS, min((page + 1) * PAGE_BUCKETS, hours)):
            start = START + hour * HOUR
            rows = []
            for key in range(args.keys):
                count = 1 + (hour * 31 + key * 7) % 3
                rows.append(
                    '{"object":"organization.usage.images.result","images":%d,'
                    '"num_model_requests":%d,"size":"1024x1024","source":"image.generation",'
                    '"project_id":"proj_bench","user_id":null,"api_key_id":"key_%04d",'
                    '"model":"gpt-image-2"}' % (count, count, key))
            results += len(rows)
            buckets.append('{"object":"bucket","start_time":%d,"end_time":%d,"results":[%s]}'
                           % (start, start + HOUR, ",".join(rows)))
        last = page == pages - 1
        text = '{"object":"page","data":[%s],"has_more":%s,"next_page":%s}\n' % (
            ",".join(buckets), "false" if last else "true",
            "null" if last else '"page_%04d"' % (page + 1))
        (usage / f"page-{page:04d}.json").write_text(text)
        written += len(text)
    print(f"gen_usage: {pages} pages, {results} results, {written / 1e6:.1f} MB, "
          f"{args.keys} workflows in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
