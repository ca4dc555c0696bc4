//! The cached-token rule shared by the token-based vendors: refresh when less than
//! max(60 s, 10 % of the lifetime) remains.

use crate::core::secret::Secret;
use crate::core::time::UnixMillis;

/// An access token with its expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedToken {
    /// The token.
    pub token: Secret<String>,
    /// When it was obtained.
    pub obtained_at: UnixMillis,
    /// When it expires; `None` = never (a caller-supplied token).
    pub expires_at: Option<UnixMillis>,
}

impl CachedToken {
    /// Whether the token is still good to use at `now`.
    pub fn is_fresh(&self, now: UnixMillis) -> bool {
        let Some(exp) = self.expires_at else {
            return true;
        };
        let lifetime = (exp.0 - self.obtained_at.0).max(0);
        let margin = (lifetime / 10).max(60_000);
        exp.0 - now.0 > margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_with_a_margin() {
        let t = CachedToken {
            token: "t".into(),
            obtained_at: UnixMillis(0),
            expires_at: Some(UnixMillis(3_600_000)),
        };
        assert!(t.is_fresh(UnixMillis(3_000_000)));
        assert!(!t.is_fresh(UnixMillis(3_240_000)));
        let short = CachedToken {
            expires_at: Some(UnixMillis(100_000)),
            ..t.clone()
        };
        assert!(!short.is_fresh(UnixMillis(40_001)));
        assert!(short.is_fresh(UnixMillis(39_999)));
        assert!(CachedToken {
            expires_at: None,
            ..t.clone()
        }
        .is_fresh(UnixMillis(i64::MAX)));
        assert!(!format!("{t:?}").contains("\"t\""));
    }
}
