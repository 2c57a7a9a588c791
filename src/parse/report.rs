//! TODO: report parser.
