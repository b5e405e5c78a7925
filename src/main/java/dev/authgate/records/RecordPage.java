package dev.authgate.records;

import java.util.List;

/**
 * Xano's paging body for record lists (and for the audit trail's). Pages count from 1; next/prev are null at the
 * ends.
 */
public record RecordPage<T>(List<T> items, int itemsReceived, int curPage, Integer nextPage, Integer prevPage,
        long offset, int perPage, long itemsTotal, long pageTotal) {

    public static <T> RecordPage<T> of(List<T> items, int page, int perPage, long total) {
        long pages = (total + perPage - 1) / perPage;
        return new RecordPage<>(items, items.size(), page, page < pages ? page + 1 : null, page > 1 ? page - 1 : null,
                (long) (page - 1) * perPage, perPage, total, pages);
    }

    /** The checks of page and per_page every list makes; the offset of the page, in long (no wrap-around). */
    public static long offset(int page, int perPage) {
        if (page < 1) {
            throw dev.authgate.failure.Failure.invalidInput("page", "page starts at 1.");
        }
        if (perPage < 1 || perPage > RecordService.MAX_PER_PAGE) {
            throw dev.authgate.failure.Failure.invalidInput("per_page",
                    "per_page is between 1 and " + RecordService.MAX_PER_PAGE + ".");
        }
        return (long) (page - 1) * perPage;
    }
}
