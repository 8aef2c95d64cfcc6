//! Normalisation of the ids the formats write into CURIE entity keys (to be written).
