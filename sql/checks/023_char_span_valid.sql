-- Range: a provenance span lies inside its article's body, 0 <= char_start <= char_end <=
-- length(articles.body), for metrics, people and documents_cited. Lengths count characters
-- (Unicode code points of the NFC body, as Python's str indexes do). A row whose article is
-- missing is left to the *_article_exists checks.
-- Violations: one row per bad span; table_name says where, body_length what the bound was.
with

spans as (

    select 'metrics' as table_name, doc_id, fact_no, null as name, char_start, char_end
    from checked_metrics
    union all
    select 'people', doc_id, null, name, char_start, char_end from checked_people
    union all
    select 'documents_cited', doc_id, null, text, char_start, char_end from checked_documents_cited

),

body_lengths as (

    -- one length an article, computed before the join (a body is kilobytes of text)
    select doc_id, length(body) as body_length from checked_articles

)

select
    s.table_name,
    s.doc_id,
    s.fact_no,
    s.name,
    s.char_start,
    s.char_end,
    b.body_length
from spans as s
left join body_lengths as b on b.doc_id = s.doc_id
where s.char_start < 0
   or s.char_start > s.char_end
   or coalesce(s.char_end > b.body_length, false)
order by s.table_name, s.doc_id, s.fact_no, s.name
