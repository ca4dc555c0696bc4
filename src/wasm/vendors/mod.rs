//! One JS class per vendor: a constructor, the generated operations, and the vendor's
//! synchronous helpers.

mod alphalearn;
mod learnworlds;
mod miles_masterclass;
mod teach_on_mars;
