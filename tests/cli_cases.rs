//! Golden CLI cases (trycmd, as typos does): each `tests/cmd/*.toml` runs the real binary from
//! the repository root and compares stdout and the exit code with the `.stdout` file beside it.
//! `TRYCMD=overwrite cargo test --test cli_cases` rewrites them; review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
