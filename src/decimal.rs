//! Decimal numbers written into a `String` without the formatting machinery:
//! the report's writers (JSON, markdown) and the engine's ids and records
//! push some 250 small numbers a report.

/// Appends `n` in decimal, as itoa writes it. A number below 1,000 (a
/// source's pass and ordinal, a location's lines, an agent's counts: some 250
/// numbers a report) is pushed digit by digit, where itoa's text was a copy
/// of a length known only at run time, a call to `memcpy` each. A single
/// digit (every source's pass, most ordinals and counts: some 120 a report)
/// is pushed where the number is written: through the call, it cost some 29
/// instructions.
#[inline]
pub(crate) fn push_u32(out: &mut String, n: u32) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
    } else {
        push_u32_digits(out, n);
    }
}

/// [`push_u32`] of a number of two digits or more.
#[inline(never)]
fn push_u32_digits(out: &mut String, n: u32) {
    let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
    if n < 100 {
        out.push(digit(n / 10));
        out.push(digit(n));
    } else if n < 1000 {
        out.push(digit(n / 100));
        out.push(digit(n / 10));
        out.push(digit(n));
    } else {
        out.push_str(itoa::Buffer::new().format(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`push_u32`] as it was, every number through one call: the reference
    /// of the form whose single digit is pushed in place.
    fn push_u32_in_one_body(out: &mut String, n: u32) {
        let digit = |d: u32| char::from(b'0' + (d % 10) as u8);
        if n < 10 {
            out.push(digit(n));
        } else if n < 100 {
            out.push(digit(n / 10));
            out.push(digit(n));
        } else if n < 1000 {
            out.push(digit(n / 100));
            out.push(digit(n / 10));
            out.push(digit(n));
        } else {
            out.push_str(itoa::Buffer::new().format(n));
        }
    }

    #[test]
    fn every_number_to_1100_is_the_one_body_form() {
        for n in 0..=1100 {
            let (mut split, mut one) = (String::new(), String::new());
            push_u32(&mut split, n);
            push_u32_in_one_body(&mut one, n);
            assert_eq!(split, one);
        }
    }

    proptest! {
        #[test]
        fn push_u32_is_the_one_body_form(n in prop_oneof![0u32..1100, proptest::num::u32::ANY]) {
            let (mut split, mut one) = (String::from("x"), String::from("x"));
            push_u32(&mut split, n);
            push_u32_in_one_body(&mut one, n);
            prop_assert_eq!(split, one);
        }

        #[test]
        fn push_u32_is_itoa(n in prop_oneof![0u32..1100, proptest::num::u32::ANY]) {
            let mut out = String::from("x");
            push_u32(&mut out, n);
            prop_assert_eq!(out, format!("x{}", itoa::Buffer::new().format(n)));
        }
    }
}
