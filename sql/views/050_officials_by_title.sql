-- officials_by_title: who held which title, and when they were seen holding it.
--
-- Grain: one row per (name, title, province) over people rows with a title (title IS NOT
--   NULL); NULL province is one group.
--
-- Columns: name, title, province, first_seen, last_seen, n_articles, corrected.
--
-- Rules:
--   - The day an article saw a person = coalesce(articles.event_date,
--     cast(articles.published_at as date)); first_seen / last_seen are its min / max
--     (NULL when no article of the row has any date).
--   - province = people.province, falling back to the article's province when the person's
--     row has none (a "Phó Bí thư Tỉnh ủy" belongs to the article's province). FACTS.md is
--     silent; decided here.
--   - n_articles counts distinct articles (a person listed twice in one article is one).
--   - People whose article is missing from articles are dropped (inner join); the data test
--     *_people_article_exists stops such a load from being published.
--   - People and articles are the corrected ones (sql/macros/070_corrections.sql): rejected rows
--     are left out; corrected = a correction touched one of the row's sightings.

create or replace view officials_by_title as

with

people_with_title as (

    select doc_id, name, title, province, corrected from corrected_people()
    where title is not null
      and not rejected

),

source_articles as (

    select
        doc_id,
        province,
        coalesce(event_date, cast(published_at as date)) as seen_on
    from corrected_articles()

),

sightings as (

    select
        p.name,
        p.title,
        coalesce(p.province, a.province) as province,
        p.doc_id,
        a.seen_on,
        p.corrected
    from people_with_title as p
    inner join source_articles as a on a.doc_id = p.doc_id

),

final as (

    select
        name,
        title,
        province,
        min(seen_on) as first_seen,
        max(seen_on) as last_seen,
        count(distinct doc_id) as n_articles,
        bool_or(corrected) as corrected
    from sightings
    group by name, title, province

)

select * from final
