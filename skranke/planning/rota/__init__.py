"""The rota: shift patterns, the rota with the fewest hours that covers a
need, and putting the counter's into the schedule."""
