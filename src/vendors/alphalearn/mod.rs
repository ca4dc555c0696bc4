//! AlphaLearn (Horizzon Information Tech.): a hosted corporate LMS (vendor file
//! `vendors/alphalearn.md`, API.md §5 `AlphaLearn`).
//!
//! Sans-IO pieces:
//! - [`Config`] (the `new AlphaLearn({ baseUrl?, domain? })` options) with a `build_x` /
//!   `parse_x` pair per network call: `login`, `refreshToken`, `loginWithThirdParty`,
//!   `forgotPassword`;
//! - the browser hand-off into a course: [`login_by_jwt_form`] and
//!   [`render_auto_submit_form`];
//! - the pure half of the session helper: [`jwt_expiry`], [`session_expiry`],
//!   [`needs_refresh`], [`is_auth_refusal`].
//!
//! AlphaLearn reports errors inside HTTP 200 in a `data.response.error` envelope; every
//! parser applies the decision order of the vendor file §3 (see `responses.rs`).

mod client;
mod form;
mod requests;
mod responses;
mod session;
pub mod wire;

pub use form::{
    check_form, login_by_jwt_form, render_auto_submit_form, CheckedForm, JwtForm, JwtFormFields,
};
#[cfg(fuzzing)]
pub use responses::parse_paths;
pub use responses::{AlphaLearnUser, ForgotPasswordResult, LoginResult, RefreshResult, Route};
pub use session::{
    is_auth_refusal, jwt_expiry, needs_refresh, refresh_refused, session_expiry, Refresher,
    Session, DEFAULT_JWT_LIFETIME_MS, REFRESH_MARGIN_MS,
};

use serde_json::Value;

use crate::core::input::Fields;
use crate::core::url::check_base_url;
use crate::error::{Error, Result};

/// The documented v3 API root, used when `baseUrl` is not given.
pub const DEFAULT_BASE_URL: &str = "https://api.alphalearn.com/v3";

/// A validated `new AlphaLearn({ baseUrl?, domain? })` configuration. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// API root without a trailing `/` (default [`DEFAULT_BASE_URL`]).
    pub base_url: String,
    /// The customer's custom domain (`lms.example.com`), sent as body field `domain`
    /// unless a call gives its own.
    pub domain: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            domain: None,
        }
    }
}

impl Config {
    /// Validates the constructor options `{ baseUrl?, domain? }` (the shared client
    /// options are ignored). `baseUrl` must be https (http on loopback only); `domain` a
    /// bare host name with an optional `:port`. Anything else → `INVALID_CONFIG`.
    pub fn from_options(opts: &Value) -> Result<Self> {
        let f = Fields::optional(opts, "options").map_err(Error::into_config)?;
        let base_url = match f.opt_str("baseUrl").map_err(Error::into_config)? {
            Some(url) => check_base_url("baseUrl", url)?,
            None => DEFAULT_BASE_URL.to_owned(),
        };
        let domain = match f.opt_str("domain").map_err(Error::into_config)? {
            Some(d) if is_bare_host(d) => Some(d.to_owned()),
            Some(_) => {
                return Err(Error::invalid_config(
                    "domain",
                    "must be a bare host name (letters, digits, `-`, `.`, optional `:port`)",
                ))
            }
            None => None,
        };
        Ok(Self { base_url, domain })
    }

    /// Every configured secret as text: AlphaLearn's configuration holds none.
    pub fn secrets(&self) -> Vec<&str> {
        Vec::new()
    }
}

pub use crate::handoff::is_bare_host;

impl crate::transport::client::VendorConfig for Config {
    const VENDOR: crate::error::Vendor = crate::error::Vendor::AlphaLearn;

    fn secrets(&self) -> Vec<&str> {
        Config::secrets(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn options_default_and_validate() {
        let c = Config::from_options(&Value::Null).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.base_url, "https://api.alphalearn.com/v3");
        assert!(c.secrets().is_empty());

        let c = Config::from_options(&json!({
            "baseUrl": "http://127.0.0.1:8080/v3/",
            "domain": "lms.example.com",
            "timeoutMs": 5, "retries": 0, "userAgent": "x"
        }))
        .unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:8080/v3");
        assert_eq!(c.domain.as_deref(), Some("lms.example.com"));

        for bad in [
            json!({"baseUrl": "http://api.alphalearn.com/v3"}),
            json!({"baseUrl": "not a url"}),
            json!({"baseUrl": 3}),
            json!({"domain": "https://lms.example.com"}),
            json!({"domain": "lms.example.com/path"}),
            json!({"domain": "user@lms.example.com"}),
            json!({"domain": ""}),
            json!({"domain": 7}),
            json!([1]),
        ] {
            let e = Config::from_options(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{bad}");
        }
    }
}
