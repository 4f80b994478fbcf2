from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from skranke.urls import urlpatterns as skranke_urlpatterns


@csrf_exempt
def one_insert(request: HttpRequest) -> JsonResponse:
    """The ceiling: a Django view that does one INSERT and answers JSON."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ceiling (made_at) VALUES (now()) RETURNING id")
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


def bare_json(request: HttpRequest) -> JsonResponse:
    """The ceiling for reads: a Django view answering JSON, no database."""
    return JsonResponse({"called": [], "waiting": 0})


urlpatterns = [
    path("bench/insert", one_insert),
    path("bench/json", bare_json),
    *skranke_urlpatterns,
]
