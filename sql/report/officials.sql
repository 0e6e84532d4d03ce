-- report/officials: who held which title, and from when to when the articles saw them in it.
--
-- Grain: one row per (name, title, province) of officials_by_title.
-- Order: title, province (NULL last), first_seen, name: a title's holders in the order they
--   appear.

select
    title,
    province,
    name,
    first_seen,
    last_seen,
    n_articles,
    corrected
from officials_by_title
order by title, province nulls last, first_seen nulls last, name
