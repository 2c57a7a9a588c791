//! TODO: location parser.
