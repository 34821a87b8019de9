//! Micro-benchmarks of the hot functions of `imgcost check`, with divan.
//!
//! Run with `cargo bench --bench pipeline` (add a filter such as `-- yaml` to run some of them).
//! Every benchmark works on `benches/typical-manifest.yaml`: manifest 88 of the corpus that
//! `scripts/gen_corpus.py` generates with seed 1 (five workflows: `defaults:`, flow and block
//! mappings, comments, generate / edit / responses endpoints, four models). The whole-process
//! figures are `scripts/bench.sh`'s; `docs/performance.md` has both.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use imgcost::policy::PolicySet;
use imgcost::{Context, Date, Keep, Manifest, ManifestInput, RateCard, Schema, SourceFile};

const TEXT: &str = include_str!("typical-manifest.yaml");

/// Manifests in the `check_inputs` benchmark.
const MANIFESTS: usize = 100;

static AS_OF: LazyLock<Date> = LazyLock::new(|| Date::from_ymd(2026, 11, 25).expect("a date"));

static CARD: LazyLock<Arc<RateCard>> = LazyLock::new(|| {
    RateCard::select(
        None,
        *AS_OF,
        &imgcost::Workspace::detached(Path::new(".")),
        None,
    )
    .expect("a built-in card for the date")
});

static FILE: LazyLock<Arc<SourceFile>> =
    LazyLock::new(|| Arc::new(SourceFile::new("services/svc-0088/imgcost.yaml", TEXT)));

/// The manifest loaded once, checked to be free of findings so that every benchmark measures
/// the clean path that nearly all files of a monorepo take.
static MANIFEST: LazyLock<Manifest> = LazyLock::new(|| {
    let mut findings = Vec::new();
    let manifest = Manifest::load(Arc::clone(&FILE), "svc-0088", &mut findings);
    assert!(
        findings.is_empty(),
        "the benchmark manifest has findings: {findings:?}"
    );
    manifest.expect("the benchmark manifest loads")
});

/// The manifest's tree (without `defaults:` merged; the typical manifest's validation is the
/// same either way).
static TREE: LazyLock<imgcost::yaml::Node> =
    LazyLock::new(|| imgcost::yaml::load(TEXT).expect("valid YAML").root);

fn main() {
    divan::main();
}

/// Text to spanned tree (`yaml::load`: saphyr-parser events, spans, duplicate keys).
#[divan::bench]
fn yaml_load(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(TEXT))
        .bench(|| imgcost::yaml::load(black_box(TEXT)).expect("valid YAML"));
}

/// The tree as JSON for the validator (`Node::to_json`), the first step of `Schema::validate`.
#[divan::bench]
fn node_to_json(bencher: Bencher) {
    let root = &*TREE;
    bencher.bench(|| black_box(root).to_json());
}

/// `Schema::Manifest.validate` of the tree with `defaults:` merged (to_json included).
#[divan::bench]
fn schema_validate(bencher: Bencher) {
    let root = &*TREE;
    bencher.bench(|| {
        let mut findings = Vec::new();
        let failed = Schema::Manifest.validate(black_box(root), &FILE, &mut findings);
        (failed, findings)
    });
}

/// One file from text to typed workflows (`Manifest::load`: load, merge, validate, read).
#[divan::bench]
fn manifest_load(bencher: Bencher) {
    bencher.counter(BytesCount::of_str(TEXT)).bench(|| {
        let mut findings = Vec::new();
        Manifest::load(Arc::clone(&FILE), "svc-0088", &mut findings)
    });
}

/// `imgcost::project` of each of the manifest's five workflows (throughput is per workflow).
#[divan::bench]
fn project_workflow(bencher: Bencher) {
    let workflows = &MANIFEST.workflows;
    bencher.counter(ItemsCount::new(workflows.len())).bench(|| {
        for workflow in workflows {
            black_box(
                imgcost::project(black_box(&workflow.spec), &CARD, *AS_OF, None).expect("priced"),
            );
        }
    });
}

/// `check_inputs` on 100 in-memory copies of the manifest (each in its own folder, so their
/// workflow ids differ): the whole library pipeline with rayon, policies included.
#[divan::bench(sample_count = 30)]
fn check_inputs_100(bencher: Bencher) {
    let inputs: Vec<ManifestInput> = (0..MANIFESTS)
        .map(|i| ManifestInput::Bytes {
            display: format!("services/svc-{i:04}/imgcost.yaml"),
            folder: format!("svc-{i:04}"),
            place: format!("services/svc-{i:04}/imgcost.yaml"),
            bytes: TEXT.as_bytes().to_vec(),
        })
        .collect();
    let context = Context {
        as_of: *AS_OF,
        ratecard: Arc::clone(&CARD),
        policies: Arc::new(PolicySet::builtin_default()),
        keep: Keep::ALL,
    };
    let report = imgcost::check_inputs(&inputs, Vec::new(), &context);
    assert!(report.passed(false), "{:?}", report.diagnostics);
    assert_eq!(report.workflows.len(), MANIFESTS * MANIFEST.workflows.len());
    bencher
        .counter(ItemsCount::new(MANIFESTS))
        .bench(|| imgcost::check_inputs(black_box(&inputs), Vec::new(), &context));
}

/// `diff::gates` on 10 000 workflows that all rose past a policy's `max_increase_usd` (each
/// looks its workflow up: a scan per change once made this quadratic).
#[divan::bench(sample_count = 10)]
fn diff_gates_10k(bencher: Bencher) {
    let inputs = |volume: &str| -> Vec<ManifestInput> {
        let text = TEXT.replace(
            "requests_per_month: ",
            &format!("requests_per_month: {volume}"),
        );
        (0..2_000)
            .map(|i| ManifestInput::Bytes {
                display: format!("services/svc-{i:04}/imgcost.yaml"),
                folder: format!("svc-{i:04}"),
                place: format!("services/svc-{i:04}/imgcost.yaml"),
                bytes: text.clone().into_bytes(),
            })
            .collect()
    };
    let policy = Arc::new(SourceFile::new(
        "gate.yaml",
        "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 0.01}\n",
    ));
    let policies = PolicySet {
        policies: vec![imgcost::policy::Policy::load(&policy).expect("a valid policy")],
        reference: None,
        origin: imgcost::report::PolicyOrigin::CommandLine,
    };
    let context = Context {
        as_of: *AS_OF,
        ratecard: Arc::clone(&CARD),
        policies: Arc::new(policies),
        keep: Keep::ALL,
    };
    let base = imgcost::check_inputs(&inputs(""), Vec::new(), &context);
    // `1` before each volume: ten times it and more.
    let head = imgcost::check_inputs(&inputs("1"), Vec::new(), &context);
    let diff =
        imgcost::run::diff::compare(&imgcost::run::diff::Base::of_report(&base, "base"), &head);
    bencher
        .counter(ItemsCount::new(head.workflows.len()))
        .bench(|| imgcost::run::diff::gates(black_box(&diff), &head, &context.policies));
}
