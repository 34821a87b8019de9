//! Stage 3 of a projection, the volumes: billed attempts, images generated and images accepted
//! a month. Errors: IC108 overflow.

use rust_decimal::Decimal;

use super::error::{PricingError, add, mul};
use super::trace::{Ledger, VolumeFact};
use crate::model::Volume;

/// Monthly volumes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Volumes {
    /// Billed calls: requests × (1 + retry rate).
    pub attempts: Decimal,
    /// Images generated: attempts × n.
    pub images: Decimal,
    /// Images kept: requests × n × accepted fraction.
    pub accepted: Decimal,
}

/// The monthly volumes of a workflow making `n` images a call.
pub(super) fn volumes(
    volume: &Volume,
    n: u32,
    ledger: &mut Ledger<'_, '_>,
) -> Result<Volumes, PricingError> {
    let requests = volume.requests_per_month;
    let attempts = mul(requests, add(Decimal::ONE, volume.retry_rate)?)?;
    let images = mul(attempts, Decimal::from(n))?;
    let accepted = mul(mul(requests, Decimal::from(n))?, volume.accepted_fraction)?;
    ledger.record(|| VolumeFact::Attempts {
        requests,
        retry_rate: volume.retry_rate,
        attempts,
    });
    ledger.record(|| VolumeFact::Images {
        attempts,
        n,
        images,
    });
    ledger.record(|| VolumeFact::Accepted {
        requests,
        n,
        accepted_fraction: volume.accepted_fraction,
        accepted,
    });
    Ok(Volumes {
        attempts,
        images,
        accepted,
    })
}
