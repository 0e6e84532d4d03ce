-- Accepted values: articles.meeting_kind is NULL (no gathering reported) or one of
-- so_ket, tong_ket, giao_ban, dai_hoi, hoi_nghi.
-- Violations: the articles with any other meeting_kind.
select doc_id, source_path, meeting_kind
from checked_articles
where meeting_kind is not null
  and meeting_kind not in ('so_ket', 'tong_ket', 'giao_ban', 'dai_hoi', 'hoi_nghi')
order by source_path, doc_id
