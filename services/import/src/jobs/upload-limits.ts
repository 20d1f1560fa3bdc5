/** The largest UploadFile chunk accepted (the documented limit), in bytes. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * grpc-js refuses messages over 4 MiB by default, which a chunk of exactly MAX_CHUNK_BYTES plus
 * its envelope (job id, field tags) exceeds. The transport takes twice the chunk limit, so a chunk
 * a little too large gets INVALID_ARGUMENT naming the limit from the handler; only a message
 * over 8 MiB is refused by grpc-js itself (RESOURCE_EXHAUSTED, "larger than max").
 */
export const IMPORT_CHANNEL_OPTIONS = { 'grpc.max_receive_message_length': 2 * MAX_CHUNK_BYTES };
