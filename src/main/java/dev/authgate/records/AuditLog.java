package dev.authgate.records;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.events.AuditEntry;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;

/** Reads the audit trail for administrators: newest first, by record, event and time (the indexes of V16). */
@Singleton
public class AuditLog {

    /** The most matches a page's {@code itemsTotal} counts; older ones are reached with {@code since}. */
    public static final int MAX_COUNT = 100_000;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** What to show: the tables the caller may see, and the optional filters. */
    public record Filter(Collection<String> tables, String table, Long id, String event, Instant since) {

        /** The filters as the query string spells them; each wrong one is an input error naming it. */
        public static Filter of(Collection<String> tables, String table, String id, String event, String since) {
            Long record = null;
            if (id != null && !id.isBlank()) {
                try {
                    record = Long.parseLong(id.strip());
                } catch (NumberFormatException e) {
                    throw Failure.invalidInput("id", "id must be a whole number.");
                }
            }
            if (event != null && !event.isBlank() && AuditEvent.named(event.strip()).isEmpty()) {
                throw Failure.invalidInput("event", "event is not an audit event (docs/events.md).");
            }
            return new Filter(tables, blank(table), record, blank(event), since(since));
        }

        private static String blank(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        /** Epoch milliseconds (as Xano's timestamps) or an ISO-8601 instant. */
        private static Instant since(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String v = value.strip();
            try {
                return v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
            } catch (NumberFormatException | DateTimeParseException e) {
                throw Failure.invalidInput("since", "since is epoch milliseconds or an ISO-8601 instant.");
            }
        }
    }

    private final EntityManager em;
    private final ObjectMapper json;

    public AuditLog(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional
    public RecordPage<AuditEntry> page(Filter filter, int page, int perPage) {
        long offset = RecordPage.offset(page, perPage);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" where dbtable in (?1)");
        params.add(List.copyOf(filter.tables()));
        if (filter.table() != null) {
            params.add(filter.table());
            where.append(" and dbtable = ?").append(params.size());
        }
        if (filter.id() != null) {
            params.add(filter.id());
            where.append(" and account_id = ?").append(params.size());
        }
        if (filter.event() != null) {
            params.add(filter.event());
            where.append(" and event = ?").append(params.size());
        }
        if (filter.since() != null) {
            params.add(filter.since());
            where.append(" and at >= ?").append(params.size());
        }
        // counted up to MAX_COUNT: an exact count of a million rows costs half a second, and no one pages that far
        long total = ((Number) bind(em.createNativeQuery("select count(*) from (select 1 from auth_audit" + where
                + " limit " + MAX_COUNT + ") m"), params).getSingleResult()).longValue();
        List<AuditEntry> items = List.of();
        if (offset < total) {
            List<?> rows = bind(em.createNativeQuery("""
                    select id, at, dbtable, account_id, event, outcome, ip, user_agent, session, actor_table, actor_id,
                    cast(detail as text) from auth_audit""" + where + " order by id desc"), params)
                    .setFirstResult((int) offset).setMaxResults(perPage).getResultList();
            items = rows.stream().map(r -> entry((Object[]) r)).toList();
        }
        return RecordPage.of(items, page, perPage, total);
    }

    private AuditEntry entry(Object[] r) {
        return new AuditEntry(((Number) r[0]).longValue(), instant(r[1]).toEpochMilli(), (String) r[2],
                r[3] == null ? null : ((Number) r[3]).longValue(), (String) r[4], (String) r[5], (String) r[6],
                (String) r[7], (UUID) r[8], (String) r[9], r[10] == null ? null : ((Number) r[10]).longValue(),
                read((String) r[11]));
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i : value instanceof java.time.OffsetDateTime o ? o.toInstant()
                : ((java.sql.Timestamp) value).toInstant();
    }

    private Map<String, Object> read(String detail) {
        try {
            return json.readValue(detail, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit detail is not a JSON object", e);
        }
    }

    private static Query bind(Query query, List<Object> params) {
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        return query;
    }
}
