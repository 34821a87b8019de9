//! Image sizes written `WIDTHxHEIGHT`, as the API takes them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// A width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

impl Dimensions {
    #[must_use]
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    #[must_use]
    pub const fn pixels(self) -> u64 {
        self.width as u64 * self.height as u64
    }

    #[must_use]
    pub const fn long_edge(self) -> u32 {
        if self.width > self.height {
            self.width
        } else {
            self.height
        }
    }

    #[must_use]
    pub const fn short_edge(self) -> u32 {
        if self.width > self.height {
            self.height
        } else {
            self.width
        }
    }

    #[must_use]
    pub const fn is_square(self) -> bool {
        self.width == self.height
    }
}

impl FromStr for Dimensions {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parse = |part: &str| part.parse::<u32>().ok().filter(|v| *v > 0);
        s.split_once('x')
            .and_then(|(w, h)| Some(Self::new(parse(w)?, parse(h)?)))
            .ok_or_else(|| format!("`{s}` is not a size; write WIDTHxHEIGHT, such as `1024x1024`"))
    }
}

impl fmt::Display for Dimensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl<'de> Deserialize<'de> for Dimensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
