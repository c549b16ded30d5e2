// Totals of the domain's quantities (amounts, prices times quantities), read for a summary: sums
// of the data the program handles, not counters of events.
// expect: none
interface Order {
  readonly amount: number;
  readonly refunded: boolean;
}

export class Ledger {
  private credits = 0;
  private debits = 0;

  post(order: Order): void {
    if (order.refunded) this.debits += order.amount;
    else this.credits += order.amount;
  }

  summary(): string {
    return `credits ${this.credits}, debits ${this.debits}`;
  }
}

export class Cart {
  private total = 0;

  add(price: number, quantity: number): void {
    this.total += price * quantity;
  }

  summary(): string {
    return `total ${this.total}`;
  }
}
