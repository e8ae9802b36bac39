//! `Params`: everything that can be passed as a statement's parameters. Sealed, with exactly
//! rusqlite 0.34's impl set: one extra impl (a const-generic array, `Vec`, `&Vec`) would make
//! `execute(sql, [])` ambiguous and break downstream code.

use crate::{BindIndex, Result, Statement, ToSql};

/// Tuples: count checked, then each element bound at its 1-based position.
macro_rules! tuple_params {
    ($count:literal: $($idx:tt $ty:ident),+) => {
        impl<$($ty: ToSql),+> Sealed for ($($ty,)+) {}
        impl<$($ty: ToSql),+> Params for ($($ty,)+) {
            #[inline]
            fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
                stmt.ensure_parameter_count($count)?;
                $( stmt.raw_bind_parameter($idx + 1, self.$idx)?; )+
                Ok(())
            }
        }
    };
}

/// Fixed-size arrays, one impl per length rather than a const generic (see the module docs).
macro_rules! array_params {
    ($($n:literal)+) => {$(
        impl<T: ToSql + ?Sized> Sealed for &[&T; $n] {}
        impl<T: ToSql + ?Sized> Params for &[&T; $n] {
            #[inline]
            fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
                stmt.bind_parameters(self)
            }
        }
        impl<S: BindIndex, T: ToSql + ?Sized> Sealed for &[(S, &T); $n] {}
        impl<S: BindIndex, T: ToSql + ?Sized> Params for &[(S, &T); $n] {
            #[inline]
            fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
                stmt.bind_parameters_named(self)
            }
        }
        impl<T: ToSql> Sealed for [T; $n] {}
        impl<T: ToSql> Params for [T; $n] {
            #[inline]
            fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
                stmt.bind_parameters(&self)
            }
        }
    )+};
}

/// The whole `Params` module — trait, impls, `ParamsFromIter` — written once and expanded
/// in every surface (the core here, `v0_40`, `v0_43`), where `Statement`, `ToSql`, `BindIndex`
/// and `Result` are that surface's own: each surface's `Statement` has the same crate-private
/// binding methods (`ensure_parameter_count`, `bind_parameters`, `bind_parameters_named`).
macro_rules! params_module {
    () => {
mod sealed {
    /// Restricts `Params` to the impls in this file.
    pub trait Sealed {}
}
use sealed::Sealed;

/// Parameters for a statement: `[]`, `()`, tuples of up to 16 `ToSql` values, `[T; N]` and
/// `&[&T; N]` for N up to 32, `&[&dyn ToSql]` (from [`params!`](crate::params!)),
/// `&[(name, value)]` (from [`named_params!`](crate::named_params!)), and [`ParamsFromIter`].
///
/// Positional forms check the parameter count (`Error::InvalidParameterCount`); named forms
/// check each name (`Error::InvalidParameterName`) and leave other parameters as they were.
pub trait Params: Sealed {
    #[doc(hidden)]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()>;
}

// The literal `[]` infers only because this is the single zero-length impl.
impl Sealed for [&(dyn ToSql + Send + Sync); 0] {}
impl Params for [&(dyn ToSql + Send + Sync); 0] {
    #[inline]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
        stmt.ensure_parameter_count(0)
    }
}

impl Sealed for &[&dyn ToSql] {}
impl Params for &[&dyn ToSql] {
    #[inline]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
        stmt.bind_parameters(self)
    }
}

impl<S: BindIndex, T: ToSql> Sealed for &[(S, T)] {}
impl<S: BindIndex, T: ToSql> Params for &[(S, T)] {
    #[inline]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
        stmt.bind_parameters_named(self)
    }
}

impl Sealed for () {}
impl Params for () {
    #[inline]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
        stmt.ensure_parameter_count(0)
    }
}

tuple_params!(1: 0 A);
tuple_params!(2: 0 A, 1 B);
tuple_params!(3: 0 A, 1 B, 2 C);
tuple_params!(4: 0 A, 1 B, 2 C, 3 D);
tuple_params!(5: 0 A, 1 B, 2 C, 3 D, 4 E);
tuple_params!(6: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F);
tuple_params!(7: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);
tuple_params!(8: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H);
tuple_params!(9: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I);
tuple_params!(10: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J);
tuple_params!(11: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K);
tuple_params!(12: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L);
tuple_params!(13: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M);
tuple_params!(14: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N);
tuple_params!(15: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O);
tuple_params!(16: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P);

array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);

/// Positional parameters from any iterator of `ToSql` values; see [`params_from_iter`].
#[derive(Clone, Debug)]
pub struct ParamsFromIter<I>(I);

/// Adapts an iterator (a `Vec`, a slice, a set…) into positional [`Params`], with the count
/// checked like any positional form.
#[inline]
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Sealed for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    #[inline]
    fn __bind_in(self, stmt: &mut Statement<'_>) -> Result<()> {
        stmt.bind_parameters(self.0)
    }
}
    };
}

params_module!();
