package dev.authgate.records;

import java.util.List;

import dev.authgate.account.AccountView;

/** Xano's paging body for record lists. Pages count from 1; next/prev are null at the ends. */
public record RecordPage(List<AccountView> items, int itemsReceived, int curPage, Integer nextPage, Integer prevPage,
        long offset, int perPage, long itemsTotal, long pageTotal) {

    static RecordPage of(List<AccountView> items, int page, int perPage, long total) {
        long pages = (total + perPage - 1) / perPage;
        return new RecordPage(items, items.size(), page, page < pages ? page + 1 : null, page > 1 ? page - 1 : null,
                (long) (page - 1) * perPage, perPage, total, pages);
    }
}
