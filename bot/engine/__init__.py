"""Pure conversation engine: flow model, answer parsing, step(); standard library only."""
