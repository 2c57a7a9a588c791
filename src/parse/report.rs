//! The deep-review report parser: a whole consolidated report (header table,
//! consolidated findings, retro, reconciliation, appendix of original reviews).
