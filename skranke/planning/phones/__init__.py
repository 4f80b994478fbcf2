"""The telephones: agents per half hour by Erlang C and Erlang A, from the
call forecast and what the call records say."""
