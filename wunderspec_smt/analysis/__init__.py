"""Static analyses of compiled models (facts the encoders can rely on before solving)."""
