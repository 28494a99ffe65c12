#include <mongoc/mongoc.h>

/* bson_t is 128-byte aligned, so Swift sees it as opaque: this allocates one for a reply (its size, 128, is a
   multiple of its alignment, as aligned_alloc requires). Documents are read in Swift, from their bytes. */
static inline bson_t *trip_bson_storage_new(void) {
    return (bson_t *) bson_aligned_alloc0(BSON_ALIGNOF(bson_t), sizeof(bson_t));
}
