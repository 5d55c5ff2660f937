/** One line of the input file. */
export type InventoryItem = {
  item: string;
  stock: number;
  sales: number;
  /** Sales per period, oldest first. Only the weighted strategy reads it. */
  sales_history?: number[];
};

/** One line of the output file. */
export type RestockRecord = {
  item: string;
  current_stock: number;
  recent_sales: number;
  restock: boolean;
  recommended_order: number;
  /** The demand the weighted strategy used, rounded to 2 decimals. */
  forecast_sales?: number;
};
