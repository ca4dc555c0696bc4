//! `Error` → the JS `LmsBridgeError` class. The class is defined once in the package's JS
//! glue (pkg-templates/error.js) and handed over at load time by `__configure`, so every
//! host (ESM, CommonJS, workerd, browsers) throws its own entry's class.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::text::concat;
use crate::error::Error;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
    static RANDOM_SOURCE: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by each JS entry after instantiation: the `LmsBridgeError` class and, where
/// the host has no global `crypto.getRandomValues`, a function `(n) => Uint8Array`.
#[wasm_bindgen(js_name = "__configure", skip_typescript)]
pub fn configure(error_class: Function, random_source: JsValue) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(error_class));
    RANDOM_SOURCE.with(|r| *r.borrow_mut() = random_source.dyn_into::<Function>().ok());
}

/// The random source given to `__configure`, if any.
pub(crate) fn random_source() -> Option<Function> {
    RANDOM_SOURCE.with(|r| r.borrow().clone())
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let fields = Object::new();
        set(&fields, "code", &e.code.as_str().into());
        if let Some(v) = e.vendor {
            set(&fields, "vendor", &v.as_str().into());
        }
        if let Some(s) = e.status {
            set(&fields, "status", &s.into());
        }
        if let Some(c) = &e.vendor_code {
            set(&fields, "vendorCode", &c.as_str().into());
        }
        set(&fields, "retryable", &e.retryable().into());
        if let Some(d) = &e.details {
            if let Ok(js) = js_sys::JSON::parse(d) {
                set(&fields, "details", &js);
            }
        }
        let message = JsValue::from_str(&e.message);
        let class = ERROR_CLASS.with(|c| c.borrow().clone());
        if let Some(class) = class {
            if let Ok(err) = Reflect::construct(&class, &Array::of2(&message, &fields)) {
                return err;
            }
        }
        let err = js_sys::Error::new(&e.message);
        err.set_name("LmsBridgeError");
        Object::assign(&err, &fields);
        err.into()
    }
}

/// The error the glue throws when a method is given something other than the expected
/// class instance (e.g. `new AlphaLearnSession(notAClient, …)`): `INVALID_INPUT`, like
/// every other bad argument. The build points wasm-bindgen's class check here.
#[wasm_bindgen(js_name = "__invalidClassArgument", skip_typescript)]
pub fn invalid_class_argument(class: String) -> JsValue {
    Error::new(
        crate::error::ErrorCode::InvalidInput,
        concat(&["expected an instance of ", &class]),
    )
    .into()
}
