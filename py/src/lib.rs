//! Python bindings of gridgov. Every function converts arguments and results; the core
//! decides. JSON entry points return the core's bytes unchanged.
#![forbid(unsafe_code)]

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    _gridgov,
    GridgovError,
    PyValueError,
    "Base class of every gridgov error; `code` names the kind of error."
);
create_exception!(
    _gridgov,
    OrgError,
    GridgovError,
    "An organisation spec could not be read or is invalid."
);
create_exception!(
    _gridgov,
    LookupError,
    GridgovError,
    "A query named a unit or office that the organisation does not have."
);
create_exception!(
    _gridgov,
    InputError,
    GridgovError,
    "An argument has the wrong type or is not valid text."
);
create_exception!(
    _gridgov,
    JsonError,
    GridgovError,
    "An input document is not valid JSON or does not have the expected shape."
);

/// Maps every core error to its Python exception, with the stable code attached.
fn to_py(err: &gridgov::error::Error) -> PyErr {
    use gridgov::error::Error;
    let msg = err.to_string();
    let e = match err {
        Error::Org(_) => OrgError::new_err(msg),
        Error::Lookup(_) => LookupError::new_err(msg),
        Error::Json { .. } => JsonError::new_err(msg),
        _ => GridgovError::new_err(msg),
    };
    set_code(&e, err.code());
    e
}

/// Reads a text argument, turning a wrong type or text that is not valid UTF-8 (a lone
/// surrogate) into an `InputError` naming the argument.
fn text(arg: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let s = arg.cast::<pyo3::types::PyString>().map_err(|_| {
        let e = InputError::new_err(format!(
            "`{name}` must be a str of JSON text, not {}",
            arg.get_type()
                .name()
                .map_or_else(|_| "another type".to_owned(), |n| n.to_string())
        ));
        set_code(&e, "input_type");
        e
    })?;
    s.to_cow().map(std::borrow::Cow::into_owned).map_err(|err| {
        let e = InputError::new_err(format!("`{name}` is not valid UTF-8 text: {err}"));
        set_code(&e, "input_text");
        e
    })
}

fn set_code(e: &PyErr, code: &str) {
    Python::attach(|py| {
        // Setting an attribute on a fresh exception object cannot fail in practice; if
        // it did, the exception is still raised without its code.
        let _ = e.value(py).setattr("code", code);
    });
}

/// The name, counts and coverage report of an org spec, as the core's JSON bytes.
/// Without an argument, the embedded Fushan default.
#[pyfunction]
#[pyo3(signature = (org_json = None))]
fn org_summary_json(org_json: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    match org_json {
        None => Ok(gridgov::json::org_summary_json(&gridgov::OrgGraph::fushan())),
        Some(arg) => {
            let s = text(arg, "org_json")?;
            gridgov::json::org_summary_json_str(&s).map_err(|e| to_py(&e))
        }
    }
}

/// The Python module `gridgov._gridgov`.
#[pymodule]
fn _gridgov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", gridgov::VERSION)?;
    m.add("GridgovError", m.py().get_type::<GridgovError>())?;
    m.add("OrgError", m.py().get_type::<OrgError>())?;
    m.add("LookupError", m.py().get_type::<LookupError>())?;
    m.add("JsonError", m.py().get_type::<JsonError>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(org_summary_json, m)?)?;
    Ok(())
}
