#!/usr/bin/env python3
# Generates a monorepo-like tree of realistic imgcost manifests, for benchmarks (scripts/bench.sh)
# and for trying imgcost on many files. Python 3.11+, standard library only. Deterministic for a
# given seed; manifest i is the same whatever the count up to 10 000 (the width of the numbers in
# the paths grows past it), so a 1k corpus is a prefix of a 10k one.
#
#   python3 scripts/gen_corpus.py OUT_DIR                      # 1000 manifests of 5 workflows
#   python3 scripts/gen_corpus.py OUT_DIR --count 10000 --workflows 5 --seed 7
#   python3 scripts/gen_corpus.py OUT_DIR --broken-fraction 0.1   # 10 % carry realistic mistakes
#
# Manifests land in services/<svc>/imgcost.yaml, apps/<app>/imgcost.yml,
# packages/<pkg>/assets/<name>.imgcost.yaml and deeper in platform/teams/<team>/<svc>/config/,
# beside a few ordinary files (README.md, package.json, src/). Decoy manifests, invalid on
# purpose, sit in node_modules/ and dist/, which the root .gitignore excludes: a tool that honours
# .gitignore never sees them. Every manifest written without --broken-fraction passes
# `imgcost check --as-of 2026-11-25` with exit 0 (gpt-image-1.5 workflows draw the IC103 warning
# "shuts down within 90 days", as real ones would). Budgets sit above an upper bound of each
# workflow's cost, so budget rules stay quiet. `defaults:` never supplies `model` or `volume`, so
# each file is also valid for a plain JSON Schema validator (the ajv-cli comparison of bench.sh).
# The run ends with one summary line on stderr.

import argparse
import math
import random
import sys
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

# --- What the rate card (ratecards/openai-2026-11-23.yaml) accepts, per model ---------------------

FAMILY_2_SIZES = [
    "1024x1024", "1536x1024", "1024x1536", "2048x1152", "1152x2048", "1280x720", "1024x768",
    "768x1024", "1536x1536", "2048x2048", "2560x1440", "1920x1088", "3840x2160",
]
GPT_IMAGE_1_5_SIZES = ["1024x1024", "1024x1536", "1536x1024"]


@dataclass(frozen=True)
class Model:
    name: str
    weight: int
    sizes: list[str]
    qualities: list[str]
    formats: list[str]
    transparent: bool
    input_fidelity: bool
    calculator_bases: dict[str, int] | None  # None: the token table below
    text_tokens_per_input_image: int
    output_rate: Decimal  # USD per 1M image output tokens, standard tier


MODELS = [
    Model("gpt-image-2", 45, FAMILY_2_SIZES, ["low", "medium", "high"], ["png", "jpeg", "webp"],
          False, False, {"low": 16, "medium": 48, "high": 96}, 0, Decimal(30)),
    Model("gpt-image-2.5-sunburst", 20, FAMILY_2_SIZES, ["low", "medium", "high", "xhigh", "max"],
          ["png", "jpeg", "webp", "gif", "svg"], True, False,
          {"low": 16, "medium": 24, "high": 48, "xhigh": 64, "max": 96}, 10, Decimal(30)),
    Model("gpt-image-2.5-flare", 20, FAMILY_2_SIZES, ["low", "medium", "high", "xhigh", "max"],
          ["png", "jpeg", "webp", "gif", "svg"], True, False,
          {"low": 16, "medium": 24, "high": 48, "xhigh": 64, "max": 96}, 10, Decimal(30)),
    Model("gpt-image-1.5", 15, GPT_IMAGE_1_5_SIZES, ["low", "medium", "high"],
          ["png", "jpeg", "webp"], True, True, None, 0, Decimal(32)),
]
TABLE_TOKENS = {
    "low": {"1024x1024": 272, "1024x1536": 408, "1536x1024": 400},
    "medium": {"1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568},
    "high": {"1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208},
}
TEXT_INPUT_RATE = Decimal(5)
IMAGE_INPUT_RATE = Decimal(8)
# Upper bounds of image input tokens per reference image: the patch rule caps at 1536; the tile
# rule of gpt-image-1.5 stays under 1700 (under 8000 with input_fidelity: high).
PATCH_TOKENS_MAX = 1536
TILE_TOKENS_MAX = {"low": 1700, "high": 8000}
MAINLINE_MODELS = {  # USD per 1M input / output tokens
    "gpt-5.4-mini": (Decimal("0.75"), Decimal("4.5")),
    "gpt-5.4-nano": (Decimal("0.2"), Decimal("1.25")),
    "gpt-5.1": (Decimal("1.25"), Decimal(10)),
}
INPUT_IMAGE_SIZES = ["1024x1024", "1536x1024", "1024x1536", "512x512", "2048x2048", "800x600"]

# --- Vocabulary ---------------------------------------------------------------------------------

WORKFLOW_NAMES = [
    "product-hero", "thumbnails", "avatars", "banner-variants", "chat-illustrations",
    "catalog-backgrounds", "social-cards", "email-headers", "blog-covers", "icon-set",
    "ad-creatives", "onboarding-art", "story-frames", "listing-photos", "menu-items",
    "profile-covers", "game-sprites", "mockups", "packaging-concepts", "seasonal-banners",
    "recipe-photos", "map-tiles", "badge-art", "newsletter-art", "push-images", "og-images",
    "lookbook", "room-renders", "try-on", "sticker-packs", "greeting-cards", "cover-art",
]
DESCRIPTIONS = [  # {what} is the workflow's name in words
    "{what} for each new product in the CMS",
    "{what} for category pages; editors keep the best variant",
    "{what} streamed into the chat while the assistant answers",
    "{what} edited from brand templates",
    "{what} rendered for every shared link",
    "{what} generated at sign-up from a short description",
    "Weekly {what} for the newsletter",
    "{what} for the design team's review board",
]
TEAMS = ["web", "growth", "support", "mobile", "search", "ml-platform", "brand", "commerce",
         "design", "content", "ads", "marketplace"]
LABELS = ["customer-facing", "internal", "experiment", "launch", "seo", "email", "mobile",
          "batchable", "pii-free", "brand"]
COMMENTS = [
    "reviewed with finops in Q3", "editors keep one of these", "see the design doc",
    "volume from last month's dashboard", "raise with the launch", "agreed with the owner",
]


class Flow(dict):
    """A mapping written on one line: `{ a: 1, b: 2 }`."""


class Quoted(str):
    """A string always written in double quotes (a mistake where a number belongs)."""


@dataclass
class Commented:
    value: object
    comment: str


# --- Writing YAML -------------------------------------------------------------------------------

PLAIN_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", ""}


def scalar(value, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    special = ":#{}[],&*!|>'\"%@`" if flow else ":#{}[]&*!|>'\"%@`"
    needs_quotes = (
        isinstance(value, Quoted)
        or text.lower() in PLAIN_RESERVED
        or text[0] in special + " -?"
        or ": " in text
        or " #" in text
        or (flow and any(c in text for c in ",{}[]"))
        or text != text.strip()
        or is_number(text)
    )
    if not needs_quotes:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def inline(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k}: {inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    return scalar(value, flow=True)


def block(mapping: dict, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        comment = ""
        if isinstance(value, Commented):
            value, comment = value.value, f"  # {value.comment}"
        if isinstance(value, Flow) or (isinstance(value, list) and not any(
                isinstance(v, dict) for v in value)):
            lines.append(f"{pad}{key}: {inline(value)}{comment}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:{comment}")
            block(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:{comment}")
            for item in value:
                lines.append(f"{pad}  - {inline(item)}")
        else:
            lines.append(f"{pad}{key}: {scalar(value, flow=False)}{comment}")


def to_yaml(header: list[str], manifest: dict) -> str:
    lines = [f"# {line}" for line in header]
    block(manifest, 0, lines)
    return "\n".join(lines) + "\n"


# --- Cost upper bound (docs/cost-model.md), to set budgets the projection stays under -----------------------

def calculator_tokens(base: int, size: str, n: int) -> int:
    width, height = (int(x) for x in size.split("x"))
    long, short = max(width, height), min(width, height)
    s = base / (long / short)
    cells = math.floor(s) + math.floor(s) % 2 if s - math.floor(s) == 0.5 else math.floor(s + 0.5)
    return -(-(n * base * cells * (2_000_000 + width * height)) // 4_000_000)


def cost_upper_bound(model: Model, w: dict) -> Decimal:
    request, volume, inputs = w["request"], w["volume"], w.get("inputs", {})
    n = request.get("n", 1)
    quality, size = request["quality"], request["size"]
    if model.calculator_bases:
        output = calculator_tokens(model.calculator_bases[quality], size, n)
    else:
        output = TABLE_TOKENS[quality][size] * n
    output += n * request.get("partial_images", 0) * 100
    images = sum(Decimal(str(i.get("per_request", 1))) for i in inputs.get("images", []))
    per_image = (PATCH_TOKENS_MAX if model.calculator_bases
                 else TILE_TOKENS_MAX[request.get("input_fidelity", "low")])
    text = (Decimal(inputs.get("prompt_tokens", 0))
            + images * model.text_tokens_per_input_image) * n
    per_call = (output * model.output_rate + text * TEXT_INPUT_RATE
                + images * per_image * n * IMAGE_INPUT_RATE)
    if "mainline" in w:
        rates = MAINLINE_MODELS[w["mainline"]["model"]]
        per_call += (w["mainline"]["input_tokens"] * rates[0]
                     + w["mainline"]["output_tokens"] * rates[1])
    if w.get("batch"):
        per_call /= 2
    attempts = volume["requests_per_month"] * (1 + volume.get("retry_rate", Decimal(0)))
    return attempts * per_call / 1_000_000


def round_up(value: Decimal, digits: int = 2) -> Decimal:
    """Rounds up to `digits` significant figures (a budget a person would write)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted() - digits + 1
    step = Decimal(1).scaleb(exponent)
    rounded = (value / step).to_integral_value(rounding=ROUND_CEILING) * step
    return rounded.quantize(Decimal(1)) if exponent >= 0 else rounded.normalize()


# --- One workflow, one manifest -----------------------------------------------------------------

def pick_model(rng: random.Random) -> Model:
    return rng.choices(MODELS, weights=[m.weight for m in MODELS])[0]


def requests_per_month(rng: random.Random) -> int:
    value = 10 ** rng.uniform(1.7, 4.7)
    return int(round_up(Decimal(value)))


def make_workflow(rng: random.Random, defaults: dict, name: str) -> tuple[dict, Decimal]:
    """A workflow valid with the manifest's `defaults`; returns it and its cost upper bound."""
    model = pick_model(rng)
    endpoint = rng.choices(["images.generate", "images.edit", "responses"], [55, 25, 20])[0]
    default_request = defaults.get("request", {})
    fmt = default_request.get("output_format")
    request = Flow(size=rng.choice(model.sizes), quality=rng.choice(model.qualities))
    batch = endpoint != "responses" and rng.random() < 0.15
    if rng.random() < 0.35:
        request["n"] = rng.choice([2, 2, 3, 4])
    if fmt is None and rng.random() < 0.6:
        candidates = [f for f in model.formats if f != "svg" or "n" not in request]
        fmt = request["output_format"] = rng.choice(candidates)
    if fmt in ("jpeg", "webp") and rng.random() < 0.3:
        request["output_compression"] = rng.choice([60, 75, 85, 90])
    if model.transparent and fmt in ("png", "webp") and rng.random() < 0.2:
        request["background"] = "transparent"
    if endpoint != "images.edit" and fmt not in ("gif", "svg") and not batch and rng.random() < 0.2:
        request["partial_images"] = rng.randint(1, 3)
    if endpoint == "images.edit" and model.input_fidelity and rng.random() < 0.4:
        request["input_fidelity"] = rng.choice(["low", "high"])
    if rng.random() < 0.1:
        request["moderation"] = "low"

    volume = Flow(requests_per_month=requests_per_month(rng))
    if "retry_rate" not in defaults.get("volume", {}) and rng.random() < 0.7:
        volume["retry_rate"] = Decimal(rng.choice(["0", "0.01", "0.02", "0.03", "0.05", "0.1"]))
    if rng.random() < 0.5:
        fraction = rng.choice(["1", "0.9", "0.8", "0.5", "0.33", "0.25"])
        volume["accepted_fraction"] = Decimal(fraction)

    workflow: dict = {}
    if rng.random() < 0.8:
        what = name.replace("-", " ")
        description = rng.choice(DESCRIPTIONS).format(what=what)
        workflow["description"] = description[0].upper() + description[1:]
    if rng.random() < 0.1:
        workflow["owner"] = f"@acme/{rng.choice(TEAMS)}"
    if rng.random() < 0.25:
        workflow["labels"] = rng.sample(LABELS, rng.randint(1, 3))
    workflow["model"] = model.name
    if endpoint != "images.generate" or rng.random() < 0.2:
        workflow["endpoint"] = endpoint
    if batch:
        workflow["batch"] = True
        workflow["latency"] = "day"
    elif rng.random() < 0.1:
        workflow["latency"] = rng.choice(["minutes", "hours"])
    workflow["request"] = request
    workflow["volume"] = volume

    inputs: dict = {}
    if "prompt_tokens" not in defaults.get("inputs", {}) or rng.random() < 0.3:
        inputs["prompt_tokens"] = rng.choice([80, 120, 180, 250, 350, 600, 1200])
    if endpoint == "responses" and rng.random() < 0.4:
        inputs["cached_fraction"] = Decimal(rng.choice(["0.25", "0.5", "0.8"]))
    if endpoint == "images.edit" or (endpoint == "responses" and rng.random() < 0.3):
        images = [Flow(size=rng.choice(INPUT_IMAGE_SIZES))]
        if rng.random() < 0.4:
            images.append(Flow(size=rng.choice(INPUT_IMAGE_SIZES),
                               per_request=Decimal(rng.choice(["0.3", "0.5", "2"]))))
        inputs["images"] = images
    if inputs:
        workflow["inputs"] = Flow(inputs) if "images" not in inputs else inputs
    if endpoint == "responses":
        mainline = Flow(model=rng.choice(list(MAINLINE_MODELS)),
                        input_tokens=rng.choice([800, 1500, 2500, 4000]))
        if rng.random() < 0.5:
            mainline["cached_fraction"] = Decimal(rng.choice(["0.3", "0.6"]))
        mainline["output_tokens"] = rng.choice([150, 300, 400, 800])
        workflow["mainline"] = mainline

    effective = merge(defaults, workflow)
    cost = cost_upper_bound(model, effective)
    if rng.random() < 0.85:
        budget = Flow(monthly_usd=round_up(cost * Decimal(str(rng.uniform(1.3, 3)))))
        if rng.random() < 0.3:
            accepted = (volume["requests_per_month"] * request.get("n", 1)
                        * volume.get("accepted_fraction", Decimal(1)))
            per_image = cost / accepted * Decimal(str(rng.uniform(1.3, 2.5)))
            budget["per_accepted_image_usd"] = round_up(per_image, 3)
        workflow["budget"] = budget
    if rng.random() < 0.15:
        key = rng.choice(["request", "volume", "budget" if "budget" in workflow else "model"])
        workflow[key] = Commented(workflow[key], rng.choice(COMMENTS))
    return workflow, cost


def merge(base: dict, over: dict) -> dict:
    """`defaults:` under a workflow: the workflow wins, mappings merge key by key."""
    merged = dict(base)
    for key, value in over.items():
        value = value.value if isinstance(value, Commented) else value
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def make_defaults(rng: random.Random) -> dict:
    defaults: dict = {}
    if rng.random() < 0.3:
        defaults["latency"] = "interactive"
    if rng.random() < 0.4:
        defaults["request"] = Flow(output_format=rng.choice(["png", "jpeg", "webp"]))
    if rng.random() < 0.4:
        defaults["volume"] = Flow(retry_rate=Decimal(rng.choice(["0.02", "0.03", "0.05"])))
    if rng.random() < 0.3:
        defaults["inputs"] = Flow(prompt_tokens=rng.choice([150, 300, 500]))
    if rng.random() < 0.2:
        defaults["labels"] = [rng.choice(LABELS)]
    return defaults


@dataclass
class Planned:
    path: str  # relative to the corpus root
    project: str  # the workflow id prefix (explicit, or the folder's name)
    write_project: bool


def plan(index: int, rng: random.Random, width: int) -> Planned:
    number = f"{index:0{width}d}"
    kind = rng.choices(["service", "app", "package", "deep"], [45, 15, 20, 20])[0]
    if kind == "service":
        return Planned(f"services/svc-{number}/imgcost.yaml", f"svc-{number}", rng.random() < 0.7)
    if kind == "app":
        return Planned(f"apps/app-{number}/imgcost.yml", f"app-{number}", True)
    if kind == "package":
        slug = rng.choice(["hero", "thumbs", "social", "email", "catalog"])
        folder = f"packages/pkg-{index // 4:0{width}d}/assets"
        return Planned(f"{folder}/{slug}-{number}.imgcost.yaml", f"pkg-{number}-{slug}", True)
    team = rng.choice(TEAMS)
    name = rng.choice(["config/imgcost.yaml", "deploy/images.imgcost.yml"])
    return Planned(f"platform/teams/{team}/svc-{number}/{name}", f"{team}-{number}", True)


def make_manifest(rng: random.Random, planned: Planned, workflows: int,
                  seed: int) -> tuple[list[str], dict]:
    defaults = make_defaults(rng)
    names = rng.sample(WORKFLOW_NAMES, min(workflows, len(WORKFLOW_NAMES)))
    names += [f"workflow-{i}" for i in range(len(names), workflows)]
    body: dict = {}
    total = Decimal(0)
    for name in names:
        body[name], cost = make_workflow(rng, defaults, name)
        total += cost
    manifest: dict = {"version": 1}
    if planned.write_project:
        manifest["project"] = planned.project
    manifest["owner"] = f"@acme/{rng.choice(TEAMS)}"
    if rng.random() < 0.6:
        manifest["budget"] = Flow(monthly_usd=round_up(total * Decimal(str(rng.uniform(1.3, 2)))))
    if defaults:
        manifest["defaults"] = defaults
    manifest["workflows"] = body
    header = ["yaml-language-server: $schema=https://raw.githubusercontent.com/imgcost/imgcost/v0.1.0/schemas/manifest.schema.json",
              f"Image workflows of {planned.project} (scripts/gen_corpus.py, seed {seed})."]
    return header, manifest


# --- Mistakes (--broken-fraction) ---------------------------------------------------------------

def first_workflow(manifest: dict) -> dict:
    return next(iter(manifest["workflows"].values()))


def unwrap(workflow: dict, key: str):
    value = workflow[key]
    if isinstance(value, Commented):
        workflow[key] = value = value.value
    return value


def rename_key(mapping: dict, old: str, new: str) -> None:
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def typo_key(manifest: dict, _rng: random.Random) -> None:
    rename_key(unwrap(first_workflow(manifest), "request"), "quality", "qualty")


def quoted_number(manifest: dict, _rng: random.Random) -> None:
    volume = unwrap(first_workflow(manifest), "volume")
    volume["requests_per_month"] = Quoted(volume["requests_per_month"])


def size_syntax(manifest: dict, _rng: random.Random) -> None:
    unwrap(first_workflow(manifest), "request")["size"] = "1024*1024"


def size_not_accepted(manifest: dict, _rng: random.Random) -> None:
    workflow = first_workflow(manifest)
    family_2 = unwrap(workflow, "model") != "gpt-image-1.5"
    unwrap(workflow, "request")["size"] = "1000x1000" if family_2 else "2048x1152"


def quality_not_supported(manifest: dict, _rng: random.Random) -> None:
    workflow = first_workflow(manifest)
    workflow["model"] = "gpt-image-2"
    unwrap(workflow, "request")["quality"] = "xhigh"


def unknown_model(manifest: dict, rng: random.Random) -> None:
    first_workflow(manifest)["model"] = rng.choice(["gpt-image-3", "gpt-imgae-2", "dall-e-4"])


def out_of_range(manifest: dict, _rng: random.Random) -> None:
    unwrap(first_workflow(manifest), "volume")["accepted_fraction"] = Decimal("1.5")


def missing_volume(manifest: dict, _rng: random.Random) -> None:
    del first_workflow(manifest)["volume"]


def over_budget(manifest: dict, _rng: random.Random) -> None:
    first_workflow(manifest)["budget"] = Flow(monthly_usd=Decimal("0.5"))


def same_id(manifest: dict, previous: tuple[str, str]) -> dict:
    """The previous manifest's project and first workflow name: a duplicate id (IC004)."""
    project, name = previous
    workflows = manifest["workflows"]
    rename_key(workflows, next(iter(workflows)), name)
    rest = {k: v for k, v in manifest.items() if k not in ("version", "project")}
    return {"version": 1, "project": project, **rest}


STRUCTURAL_MISTAKES = [typo_key, quoted_number, size_syntax, size_not_accepted,
                       quality_not_supported, unknown_model, out_of_range, missing_volume,
                       over_budget]


def duplicate_key(text: str) -> str:
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    model: "))
    lines.insert(at + 1, "    model: gpt-image-1.5\n")
    return "".join(lines)


def tab_indent(text: str) -> str:
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    model: "))
    lines[at] = "\t" + lines[at][4:]
    return "".join(lines)


def unclosed_flow(text: str) -> str:
    return text.replace(" }", "", 1)


TEXT_MISTAKES = [duplicate_key, tab_indent, unclosed_flow]


# --- The tree -----------------------------------------------------------------------------------

def decoy(index: int) -> str:
    return (f"# Vendored example, invalid on purpose: imgcost must not find it (.gitignore).\n"
            f"version: 2\nworkflows:\n  vendored-{index}:\n    model: gpt-image-9\n"
            f"    request: {{ size: 1024*1024, qualty: ultra }}\n")


NOISE = {
    "README.md": "# {project}\n\nGenerated for imgcost benchmarks.\n",
    "package.json": '{{ "name": "@acme/{project}", "version": "1.0.0", "private": true }}\n',
    "src/index.ts": "export const project = \"{project}\";\n",
}


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_neighbours(root: Path, index: int, planned: Planned) -> None:
    """The ordinary files of the manifest's project folder, and now and then its own .gitignore."""
    folder = planned.path.rsplit("/", 1)[0]
    for suffix in ("/assets", "/config", "/deploy"):
        folder = folder.removesuffix(suffix)
    for name, template in NOISE.items():
        if not (root / folder / name).exists():
            write(root, f"{folder}/{name}", template.format(project=planned.project))
    if index % 10 == 3:
        write(root, f"{folder}/.gitignore", "node_modules/\n.cache/\n*.log\n")
        write(root, f"{folder}/debug.log", "not a manifest\n")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Generate a monorepo-like tree of imgcost manifests (see the file's header).")
    parser.add_argument("out", type=Path, help="directory to create (must be absent or empty)")
    parser.add_argument("--count", type=int, default=1000, help="manifests (default 1000)")
    parser.add_argument("--workflows", type=int, default=5, help="workflows each (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--broken-fraction", type=float, default=0.0,
                        help="share of manifests given one or two mistakes (default 0)")
    args = parser.parse_args()
    if args.count < 1 or args.workflows < 1 or not 0 <= args.broken_fraction <= 1:
        parser.error("--count and --workflows must be at least 1, --broken-fraction in [0, 1]")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")

    root = args.out
    root.mkdir(parents=True, exist_ok=True)
    write(root, ".gitignore", "node_modules/\ndist/\n*.log\n")
    width = max(4, len(str(args.count - 1)))
    workflows = broken = 0
    previous: tuple[str, str] | None = None  # project and first workflow name, for IC004
    for index in range(args.count):
        rng = random.Random(f"{args.seed}-{index}")
        planned = plan(index, rng, width)
        header, manifest = make_manifest(rng, planned, args.workflows, args.seed)
        workflows += len(manifest["workflows"])
        text_mistakes = []
        is_broken = rng.random() < args.broken_fraction
        if is_broken:
            broken += 1
            kinds = STRUCTURAL_MISTAKES + TEXT_MISTAKES + ([same_id] if previous else [])
            for kind in rng.sample(kinds, rng.choice([1, 1, 1, 2])):
                if kind in TEXT_MISTAKES:
                    text_mistakes.append(kind)
                elif kind is same_id:
                    manifest = same_id(manifest, previous)
                else:
                    kind(manifest, rng)
        else:
            previous = (planned.project, next(iter(manifest["workflows"])))
        text = to_yaml(header, manifest)
        for mistake in text_mistakes:
            text = mistake(text)
        write(root, planned.path, text)
        write_neighbours(root, index, planned)

    decoys = max(3, args.count // 50)
    for index in range(decoys):
        write(root, f"node_modules/@vendor/pkg-{index}/imgcost.yaml", decoy(index))
        write(root, f"dist/services/svc-{index}/imgcost.yaml", decoy(index))
    print(f"wrote {args.count} manifests ({workflows} workflows, {broken} with mistakes) and "
          f"{2 * decoys} ignored decoys to {root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
