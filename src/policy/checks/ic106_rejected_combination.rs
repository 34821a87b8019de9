//! The check of IC106: a parameter combination the API rejects.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::{Diagnostic, Text};
use crate::model::{Background, Endpoint, OutputFormat};
use crate::rules::IC106;
use rust_decimal::Decimal;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &ctx.entry.workflow.spec;
    let request = &spec.request;
    let mut reject =
        |path: &str, message: String, related: Option<(&str, &'static str)>, help: Text| {
            let mut diagnostic =
                Diagnostic::new(&IC106, message, ctx.value_label(path, "rejected"))
                    .with_help(help)
                    .with_workflow(ctx.id());
            if let Some((path, text)) = related {
                diagnostic.add_related([ctx.value_label(path, text)]);
            }
            out.push(diagnostic);
        };
    let format = request.output_format;
    if request.background == Some(Background::Transparent) && format == Some(OutputFormat::Jpeg) {
        reject(
            "request/background",
            "a transparent background cannot be written as jpeg".to_owned(),
            Some(("request/output_format", "jpeg has no alpha channel")),
            "use `output_format: png` or `webp`, or an opaque background".into(),
        );
    }
    if matches!(format, Some(OutputFormat::Gif | OutputFormat::Svg)) && request.partial_images > 0 {
        reject(
            "request/partial_images",
            format!(
                "{} output does not stream partial images",
                format.map_or("", OutputFormat::as_str)
            ),
            Some(("request/output_format", "no streaming")),
            "remove `partial_images`, or choose png, jpeg or webp".into(),
        );
    }
    if format == Some(OutputFormat::Svg) && request.n > 1 {
        reject(
            "request/n",
            "svg output takes n = 1 only".to_owned(),
            Some(("request/output_format", "svg")),
            "set `n: 1`".into(),
        );
    }
    if matches!(format, Some(OutputFormat::Gif | OutputFormat::Svg))
        && request.output_compression.is_some()
    {
        reject(
            "request/output_compression",
            format!(
                "{} output takes no custom compression",
                format.map_or("", OutputFormat::as_str)
            ),
            Some(("request/output_format", "no compression")),
            "remove `output_compression`".into(),
        );
    }
    if spec.mainline.is_some() && spec.endpoint != Endpoint::Responses {
        reject(
            "mainline",
            format!(
                "`mainline` is only used by `endpoint: responses`, not {}",
                spec.endpoint
            ),
            Some(("endpoint", "this endpoint has no mainline model")),
            "remove `mainline`, or set `endpoint: responses`".into(),
        );
    }
    if request.frames.is_some() && format != Some(OutputFormat::Gif) {
        reject(
            "request/frames",
            "`frames` applies to gif output only".to_owned(),
            ctx.written("request/output_format")
                .then_some(("request/output_format", "not gif")),
            "remove `frames`, or set `output_format: gif`".into(),
        );
    }
    if spec.svg.is_some() && format != Some(OutputFormat::Svg) {
        reject(
            "svg",
            "`svg` (the model that writes an SVG) applies to svg output only".to_owned(),
            ctx.written("request/output_format")
                .then_some(("request/output_format", "not svg")),
            "remove `svg`, or set `output_format: svg`".into(),
        );
    }
    if !spec.inputs.images.is_empty() && spec.endpoint == Endpoint::ImagesGenerate {
        reject(
            "inputs/images",
            "images.generate takes no input images".to_owned(),
            None,
            "use `endpoint: images.edit` for edits with reference images".into(),
        );
    }
    if spec.endpoint == Endpoint::ImagesEdit
        && spec
            .inputs
            .images
            .iter()
            .all(|image| image.per_request.is_zero())
    {
        reject(
            "endpoint",
            "images.edit needs an input image to edit, and this workflow sends none".to_owned(),
            ctx.written("inputs/images")
                .then_some(("inputs/images", "no image sent")),
            "list the images each call sends under `inputs.images` (for example `images: [{size: 1024x1024}]`), or use `endpoint: images.generate`".into(),
        );
    }
    let Some((id, model)) = ctx.card.image_model(&spec.model) else {
        return;
    };
    if !model.serves(spec.endpoint) {
        let served: Vec<&str> = model.endpoints.iter().map(|e| e.0.as_str()).collect();
        reject(
            "endpoint",
            format!("{id} is not served on {}", spec.endpoint),
            None,
            format!("use one of: {}", served.join(", ")).into(),
        );
    }
    if let Some(format) = format.filter(|f| !model.formats.contains(f)) {
        let formats: Vec<&str> = model.formats.iter().map(|f| f.as_str()).collect();
        reject(
            "request/output_format",
            format!("{id} does not produce {format}"),
            None,
            format!("use one of: {}", formats.join(", ")).into(),
        );
    }
    if request.background == Some(Background::Transparent)
        && !model.parameters.transparent_background
    {
        reject(
            "request/background",
            format!("{id} does not support transparent backgrounds"),
            None,
            "use an opaque background, or a model that supports transparency".into(),
        );
    }
    if request.complexity.is_some() && model.complexity.is_none() {
        reject(
            "request/complexity",
            format!("{id} does not take `complexity`"),
            None,
            "remove `complexity` (gpt-image-2.6 takes it)".into(),
        );
    }
    if request.input_fidelity.is_some() && !model.parameters.input_fidelity {
        reject(
            "request/input_fidelity",
            format!("{id} does not take `input_fidelity`"),
            None,
            "remove `input_fidelity`".into(),
        );
    }
    let images: Decimal = spec
        .inputs
        .images
        .iter()
        .map(|image| image.per_request.ceil())
        .sum();
    if images > Decimal::from(model.parameters.max_input_images) {
        reject(
            "inputs/images",
            format!(
                "up to {images} input images per call; {id} accepts at most {}",
                model.parameters.max_input_images
            ),
            None,
            "send fewer reference images per call".into(),
        );
    }
}
