"""The planning pages, one module per section: minutes per service,
what-if, forecast, telephones and rota."""
