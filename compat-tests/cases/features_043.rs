//! Cases for APIs only rusqlite 0.41 and later have, compiled under the 0.43 surface alone
//! (`cfg(rusqlite_0_43)`, set by compat-tests/surface-0.43/build.rs).

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Type, ValueRef, Values};

/// What the `describe` function below sees of its arguments, through `Values`.
fn describe(ctx: &mut Context<'_>) -> rusqlite::Result<String> {
    let counted = (&**ctx).into_iter().count();
    let first = &ctx[0];
    let first = format!("{:?} {} {}", first.data_type(), first.subtype(), first.get::<u8>(0)?);
    let null = ValueRef::from(&ctx[1]) == ValueRef::Null;
    let null_as_int = format!("{:?}", ctx[1].get::<u8>(1).unwrap_err());
    let text = format!("{} {:?}", ctx[2].get::<String>(2)?, ctx[2].numeric_type());
    let numeric = ctx[3].numeric_type();
    let values: &Values<'_> = ctx;
    let kinds: Vec<Type> = values.iter().map(|v| v.data_type()).collect();
    Ok(format!(
        "{} {counted} | {first} | {null} {null_as_int} | {text} | {numeric:?} {} {} | {kinds:?}",
        ctx.len(),
        values.get::<i64>(3)?,
        values.get_subtype(3),
    ))
}

cases! {
    /// 0.42+: a function's `Context` derefs to `types::Values`: indexing gives a `RawValue`
    /// (type, subtype, numeric affinity, conversion naming the argument), iterating gives
    /// `ValueRef`s.
    #[local_only("Rust callbacks exist only for local connections")]
    fn function_arguments_as_values() {
        let db = crate::open()?;
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
        db.create_scalar_function("describe", 4, flags, describe)?;
        let seen: String = db.query_row("SELECT describe(1, NULL, 'str', '42')", [], |r| r.get(0))?;
        assert_eq!(
            seen,
            "4 4 | Integer 0 1 | true InvalidParameterType(1, Null) | str Text | \
             Integer 42 0 | [Integer, Null, Text, Integer]"
        );
        Ok(())
    }
}
