//! The seeded random source of a run (retry jitter, `States.UUID`, `States.MathRandom`): `crate::expr::Rng`.

pub use crate::expr::Rng as SimRng;
