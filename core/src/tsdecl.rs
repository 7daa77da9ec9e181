//! TypeScript declarations for the WebAssembly package (cargo feature `ts`): the types
//! tsify derives name the scalar types declared here.

/// Declares the TypeScript type of a Rust type that serialises as a JSON scalar (an id, a
/// time, an exact number as text): `ts_alias!(UnitId = "string")` adds `export type UnitId
/// = string;` to the WebAssembly package's declarations (feature `ts`), so that the types
/// tsify derives can name it.
macro_rules! ts_alias {
    ($name:ident = $ts:literal) => {
        #[cfg(feature = "ts")]
        const _: () = {
            use wasm_bindgen::prelude::wasm_bindgen;
            #[wasm_bindgen(typescript_custom_section)]
            const TS: &'static str = concat!("export type ", stringify!($name), " = ", $ts, ";");
        };
    };
}

pub(crate) use ts_alias;
