#include "CSQLiteSettings.h"
#include <sqlite3.h>

int comptoir_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int comptoir_sqlite_set_subjournal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
