//! Per-table content checksums, computed the same way on both ends of a copy: every row
//! (rowid first, when the table has one, then its columns) is encoded canonically — a type tag
//! and the exact bits of the value — and hashed with 128-bit FNV-1a; the table's checksum is
//! the wrapping sum of its row hashes, so it does not depend on the order rows are read in.

use dbcompat::types::ValueRef;

const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

/// A table's row count and checksum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    pub rows: u64,
    pub hash: u128,
}

impl Sum {
    pub fn add_row(&mut self, row_hash: u128) {
        self.rows += 1;
        self.hash = self.hash.wrapping_add(row_hash);
    }

    /// 16 hex digits (the 128-bit sum folded), enough to show a difference.
    pub fn short(&self) -> String {
        format!("{:016x}", (self.hash >> 64) as u64 ^ self.hash as u64)
    }
}

/// The hash of one row, fed value by value.
pub struct RowHasher(u128);

impl RowHasher {
    pub fn new() -> RowHasher {
        RowHasher(FNV_OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u128::from(*b);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }

    pub fn value(&mut self, v: ValueRef<'_>) {
        match v {
            ValueRef::Null => self.bytes(&[0]),
            ValueRef::Integer(i) => {
                self.bytes(&[1]);
                self.bytes(&i.to_le_bytes());
            }
            ValueRef::Real(f) => {
                self.bytes(&[2]);
                self.bytes(&f.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                self.bytes(&[3]);
                self.bytes(&(t.len() as u64).to_le_bytes());
                self.bytes(t);
            }
            ValueRef::Blob(b) => {
                self.bytes(&[4]);
                self.bytes(&(b.len() as u64).to_le_bytes());
                self.bytes(b);
            }
        }
    }

    pub fn finish(self) -> u128 {
        // A final mix, so that rows differing in their last byte do not differ only in the
        // low bits of the sum.
        let mut h = self.0;
        h ^= h >> 67;
        h = h.wrapping_mul(0x9e3779b97f4a7c15f39cc0605cedc835);
        h ^= h >> 61;
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[ValueRef<'_>]) -> u128 {
        let mut h = RowHasher::new();
        for v in values {
            h.value(*v);
        }
        h.finish()
    }

    #[test]
    fn distinguishes_types_and_boundaries() {
        let a = row(&[ValueRef::Integer(1)]);
        let b = row(&[ValueRef::Real(1.0)]);
        let c = row(&[ValueRef::Text(b"1")]);
        let d = row(&[ValueRef::Blob(b"1")]);
        let e = row(&[ValueRef::Null]);
        let all = [a, b, c, d, e];
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(all[i], all[j]);
            }
        }
        assert_ne!(
            row(&[ValueRef::Text(b"ab"), ValueRef::Text(b"c")]),
            row(&[ValueRef::Text(b"a"), ValueRef::Text(b"bc")])
        );
    }

    #[test]
    fn sum_is_order_independent_but_counts_duplicates() {
        let (x, y) = (row(&[ValueRef::Integer(1)]), row(&[ValueRef::Integer(2)]));
        let mut s1 = Sum::default();
        s1.add_row(x);
        s1.add_row(y);
        let mut s2 = Sum::default();
        s2.add_row(y);
        s2.add_row(x);
        assert_eq!(s1, s2);
        let mut s3 = Sum::default();
        s3.add_row(x);
        s3.add_row(x);
        assert_ne!(s3.hash, 0);
    }
}
