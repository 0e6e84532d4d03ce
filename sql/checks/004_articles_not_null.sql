-- Not null: articles.doc_id, source_path, on_topic, body, extractor_version.
-- Violations: the article rows with a NULL in any of them; null_columns names which.
select
    doc_id,
    source_path,
    concat_ws(', ',
        case when doc_id is null then 'doc_id' end,
        case when source_path is null then 'source_path' end,
        case when on_topic is null then 'on_topic' end,
        case when body is null then 'body' end,
        case when extractor_version is null then 'extractor_version' end
    ) as null_columns
from checked_articles
where doc_id is null
   or source_path is null
   or on_topic is null
   or body is null
   or extractor_version is null
order by source_path, doc_id
