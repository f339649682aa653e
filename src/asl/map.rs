//! The parts of a Map state that are objects of their own.

use super::field::asl_object;
use crate::json::{JStr, Json};

asl_object! {
    /// `ItemProcessor.ProcessorConfig`: `Mode` (`INLINE` | `DISTRIBUTED`) and `ExecutionType` (`STANDARD` | `EXPRESS`).
    pub struct ProcessorConfig {
        mode: JStr = "Mode",
        execution_type: JStr = "ExecutionType",
    }
}

asl_object! {
    /// `ItemReader`: where a Distributed Map reads its items (S3 objects, CSV/JSON files, manifests).
    pub struct ItemReader {
        resource: JStr = "Resource",
        reader_config: Json = "ReaderConfig",
        parameters: Json = "Parameters",
        arguments: Json = "Arguments",
    }
}

asl_object! {
    /// `ItemBatcher`: groups items into batches for each child execution.
    pub struct ItemBatcher {
        max_items_per_batch: Json = "MaxItemsPerBatch",
        max_items_per_batch_path: JStr = "MaxItemsPerBatchPath",
        max_input_bytes_per_batch: Json = "MaxInputBytesPerBatch",
        max_input_bytes_per_batch_path: JStr = "MaxInputBytesPerBatchPath",
        batch_input: Json = "BatchInput",
    }
}

asl_object! {
    /// `ResultWriter`: where a Distributed Map writes its results.
    pub struct ResultWriter {
        resource: JStr = "Resource",
        parameters: Json = "Parameters",
        arguments: Json = "Arguments",
        writer_config: Json = "WriterConfig",
    }
}
