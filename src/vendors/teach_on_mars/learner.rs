//! Learner input: validation of `createLearner` profiles and `updateLearner` patches, and
//! the pure decision piece of `signIn`.

use serde_json::{Map, Value};

use crate::core::input::{check_email, Fields, Input};
use crate::core::json::{JsonWriter, WriteJson};
use crate::core::text::{concat, has_control};
use crate::error::{Error, Result};

/// Fields `signIn` copies into an update of an existing learner (all but login/password).
const UPDATE_FIELDS: [&str; 5] = ["firstname", "lastname", "email", "segment", "lang"];

/// A usable login: non-empty, not only whitespace, no control characters.
fn check_login(login: &str) -> Result<()> {
    if login.trim().is_empty() {
        return Err(Error::invalid_input("login", "must not be empty"));
    }
    if has_control(login, false) {
        return Err(Error::invalid_input(
            "login",
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// `segment`: an object whose every value is an array of strings.
fn check_segment(segment: &Value) -> Result<()> {
    let must = "must be an object of string arrays (Mission Center custom fields)";
    let Value::Object(map) = segment else {
        return Err(Error::invalid_input("segment", must));
    };
    for (key, values) in map {
        let ok = values
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string));
        if !ok {
            return Err(Error::invalid_input(
                &concat(&["segment.", key]),
                "must be an array of strings",
            ));
        }
    }
    Ok(())
}

/// Validates a learner object and returns the request body: the documented fields that
/// are present (absent and `null` ones omitted; unknown keys ignored). `login` is required
/// when `require_login`, else at least one field must be present.
pub(crate) fn learner_body<'a>(
    input: &'a Value,
    name: &'a str,
    require_login: bool,
) -> Result<LearnerBody<'a>> {
    let f = Fields::new(input, name)?;
    learner_fields(&f, f.get("segment"), name, require_login)
}

/// [`learner_body`] of a learner's fields however the host handed them over (the lean twins':
/// [`super::wire`]), its `segment` (the one field that is not a string) apart.
pub(crate) fn learner_fields<'a>(
    f: &dyn Input<'a>,
    segment: Option<&'a Value>,
    name: &str,
    require_login: bool,
) -> Result<LearnerBody<'a>> {
    let login = f.opt_str("login")?;
    match login {
        Some(login) => check_login(login)?,
        None if require_login => return Err(Error::invalid_input("login", "is required")),
        None => {}
    }
    let firstname = f.opt_str("firstname")?;
    let lastname = f.opt_str("lastname")?;
    let lang = f.opt_non_empty("lang")?;
    let password = f.opt_non_empty("password")?;
    let email = f.opt_str("email")?;
    if let Some(email) = email {
        check_email("email", email)?;
    }
    if let Some(segment) = segment {
        check_segment(segment)?;
    }
    // The fields the identity API documents, in its order (vendor §3): the strings, then
    // `segment`, then `lang`.
    let texts = [
        ("login", login),
        ("firstname", firstname),
        ("lastname", lastname),
        ("email", email),
        ("password", password),
    ];
    let mut fields: LearnerBody<'a> = texts
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, BodyValue::Text(v))))
        .collect();
    fields.extend(segment.map(|s| ("segment", BodyValue::Json(s))));
    fields.extend(lang.map(|l| ("lang", BodyValue::Text(l))));
    if fields.is_empty() {
        return Err(Error::invalid_input(
            name,
            "must contain at least one of login, firstname, lastname, email, password, segment, lang",
        ));
    }
    Ok(fields)
}

/// One field of a learner body: a string, or the `segment` object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum BodyValue<'a> {
    /// A string field.
    Text(&'a str),
    /// `segment`.
    Json(&'a Value),
}

impl WriteJson for BodyValue<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            BodyValue::Text(text) => w.text(text),
            BodyValue::Json(value) => w.value(value),
        }
    }
}

/// A learner body: the input's present documented fields in the documented order, borrowed
/// from it (copying them into a new map cost a tenth of a builder's time). Written with
/// [`crate::core::json::ordered_json`].
pub(crate) type LearnerBody<'a> = Vec<(&'static str, BodyValue<'a>)>;

/// Validates a `signIn` profile (the `createLearner` input): `login` required and
/// non-empty, optional strings, a valid `email`, `segment` an object of string arrays.
/// Bad input → `INVALID_INPUT` naming the field.
pub fn validate_profile(profile: &Value) -> Result<()> {
    learner_body(profile, "profile", true).map(|_| ())
}

/// The update `signIn` sends for an existing learner when `update` is set: the profile's
/// present fields except `login` and `password`; `None` when there are none (skip the
/// update). Call [`validate_profile`] first.
pub fn sign_in_update_patch(profile: &Value) -> Option<Value> {
    let map = profile.as_object()?;
    let patch: Map<String, Value> = UPDATE_FIELDS
        .iter()
        .filter_map(|k| {
            map.get(*k)
                .filter(|v| !v.is_null())
                .map(|v| ((*k).to_owned(), v.clone()))
        })
        .collect();
    (!patch.is_empty()).then_some(Value::Object(patch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::ordered_json;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn profile_validation() {
        assert!(validate_profile(&json!({"login": "john.doe"})).is_ok());
        let full = json!({"login": "john.doe", "firstname": "John", "lastname": "Doe",
            "email": "j@co.com", "password": "pw", "segment": {"country": ["FRANCE"]},
            "lang": "en-GB"});
        assert!(validate_profile(&full).is_ok());
        let cases = [
            (json!({}), "`login`"),
            (json!({"login": ""}), "`login`"),
            (json!({"login": "  "}), "`login`"),
            (json!({"login": "a\nb"}), "`login`"),
            (json!({"login": 12}), "`login`"),
            (json!({"login": "a", "email": "nope"}), "`email`"),
            (json!({"login": "a", "firstname": 1}), "`firstname`"),
            (json!({"login": "a", "lang": ""}), "`lang`"),
            (json!({"login": "a", "password": ""}), "`password`"),
            (json!({"login": "a", "segment": ["FRANCE"]}), "`segment`"),
            (
                json!({"login": "a", "segment": {"country": "FRANCE"}}),
                "`segment.country`",
            ),
            (
                json!({"login": "a", "segment": {"country": [1]}}),
                "`segment.country`",
            ),
            (json!("john"), "`profile`"),
        ];
        for (input, field) in cases {
            let e = validate_profile(&input).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input}");
            assert!(e.message.starts_with(field), "{input}: {}", e.message);
        }
    }

    #[test]
    fn password_never_in_messages() {
        let e = validate_profile(&json!({"login": "a", "password": 1234567})).unwrap_err();
        assert!(!e.message.contains("1234567"));
    }

    #[test]
    fn body_keeps_present_documented_fields() {
        let input = json!({"login": "a", "firstname": null, "extra": 1, "lang": "fr"});
        let b = learner_body(&input, "input", true).unwrap();
        assert_eq!(ordered_json(&b), r#"{"login":"a","lang":"fr"}"#);
        let e = learner_body(&json!({"extra": 1, "firstname": null}), "patch", false).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.starts_with("`patch`"));
    }

    #[test]
    fn update_patch_drops_login_and_password() {
        let p = json!({"login": "a", "password": "pw", "firstname": "J", "segment": {"c": ["x"]},
            "lastname": null});
        assert_eq!(
            sign_in_update_patch(&p),
            Some(json!({"firstname": "J", "segment": {"c": ["x"]}}))
        );
        assert_eq!(
            sign_in_update_patch(&json!({"login": "a", "password": "pw"})),
            None
        );
        assert_eq!(
            sign_in_update_patch(&json!({"login": "a", "email": null})),
            None
        );
    }
}
