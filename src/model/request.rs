//! The image API call's own parameters (`request:` in a workflow), named as in the API.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::model::Dimensions;

/// `request:` of a workflow. Defaults are the API's: `size: auto`, `quality: auto`, `n: 1`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub size: Size,
    #[serde(default)]
    pub quality: Quality,
    #[serde(default = "one")]
    pub n: u32,
    pub output_format: Option<OutputFormat>,
    pub output_compression: Option<u8>,
    pub background: Option<Background>,
    #[serde(default)]
    pub partial_images: u32,
    pub input_fidelity: Option<Fidelity>,
    pub moderation: Option<Moderation>,
    /// Frames of `output_format: gif` (2–16; the API's default when absent).
    pub frames: Option<u32>,
    /// Planning effort of gpt-image-2.6 (`complexity`), independent of the rendering quality.
    pub complexity: Option<Complexity>,
}

const fn one() -> u32 {
    1
}

impl Default for Request {
    fn default() -> Self {
        Self {
            size: Size::Auto,
            quality: Quality::Auto,
            n: 1,
            output_format: None,
            output_compression: None,
            background: None,
            partial_images: 0,
            input_fidelity: None,
            moderation: None,
            frames: None,
            complexity: None,
        }
    }
}

/// `size`: explicit dimensions or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Size {
    #[default]
    Auto,
    Exact(Dimensions),
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Exact(d) => d.fmt(f),
        }
    }
}

impl std::str::FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "auto" {
            Ok(Self::Auto)
        } else {
            s.parse().map(Self::Exact)
        }
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

macro_rules! api_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &[Self] = &[$(Self::$variant),+];

            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!(
                        "`{other}` is not one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

api_enum! {
    /// `quality`, ordered from cheapest to dearest; `auto` lets the model choose.
    Quality { Low => "low", Medium => "medium", High => "high", Xhigh => "xhigh", Max => "max", Auto => "auto" }
}

#[allow(clippy::derivable_impls)] // the variants are declared by `api_enum!`
impl Default for Quality {
    fn default() -> Self {
        Self::Auto
    }
}

api_enum! {
    /// `output_format`.
    OutputFormat { Png => "png", Jpeg => "jpeg", Webp => "webp", Gif => "gif", Svg => "svg" }
}

api_enum! {
    /// `background`.
    Background { Transparent => "transparent", Opaque => "opaque", Auto => "auto" }
}

api_enum! {
    /// `input_fidelity` (edits).
    Fidelity { Low => "low", High => "high" }
}

api_enum! {
    /// `moderation`.
    Moderation { Low => "low", Auto => "auto" }
}

api_enum! {
    /// `complexity` (gpt-image-2.6): how much the model plans the image.
    Complexity { Low => "low", Medium => "medium", High => "high" }
}
