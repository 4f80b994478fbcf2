from tests.centre import centre

__all__ = ["centre"]
